// Replaced by the database harness; pure tests need nothing.
export default async function setup() {}
