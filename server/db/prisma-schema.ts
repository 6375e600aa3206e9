// A small reader for the parts of schema.prisma that the drift check compares:
// models, their columns, ids, uniques, relations and enums. It understands the
// subset of the Prisma schema language that this project's schema uses.

export interface SchemaField {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  dbType?: string;
  isId: boolean;
  isUnique: boolean;
  relation?: { fields: string[]; references: string[]; onDelete?: string };
}

export interface SchemaModel {
  name: string;
  table: string;
  fields: SchemaField[];
  primaryKey: string[];
  uniques: string[][];
}

export interface ParsedSchema {
  models: SchemaModel[];
  enums: Record<string, string[]>;
}

const SCALARS = new Set(["String", "Int", "BigInt", "Boolean", "DateTime", "Json", "Float", "Decimal", "Bytes"]);

function list(arg: string | undefined): string[] {
  return arg ? arg.split(",").map((s) => s.trim()).filter(Boolean) : [];
}

function blocks(source: string, keyword: string): { name: string; body: string[] }[] {
  const re = new RegExp(`^${keyword}\\s+(\\w+)\\s*\\{([\\s\\S]*?)^\\}`, "gm");
  return [...source.matchAll(re)].map((m) => ({
    name: m[1]!,
    body: m[2]!.split("\n").map((l) => l.replace(/\/\/.*$/, "").trim()).filter(Boolean),
  }));
}

export function parsePrismaSchema(source: string): ParsedSchema {
  const enums = Object.fromEntries(blocks(source, "enum").map((b) => [b.name, b.body]));
  const modelBlocks = blocks(source, "model");
  const modelNames = new Set(modelBlocks.map((b) => b.name));
  const models = modelBlocks.map(({ name, body }): SchemaModel => {
    const fields: SchemaField[] = [];
    const model: SchemaModel = { name, table: name, fields, primaryKey: [], uniques: [] };
    for (const line of body) {
      if (line.startsWith("@@")) {
        const attr = line.match(/^@@(\w+)\((.*)\)$/);
        if (!attr) continue;
        const [, kind, args] = attr;
        const cols = list(args!.match(/\[([^\]]*)\]/)?.[1]);
        if (kind === "map") model.table = args!.replace(/"/g, "");
        if (kind === "id") model.primaryKey = cols;
        if (kind === "unique") model.uniques.push(cols);
        continue;
      }
      const m = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/);
      if (!m) continue;
      const [, fieldName, type, isList, optional, attrs] = m;
      const relation = attrs!.match(/@relation\(([^)]*)\)/)?.[1];
      const field: SchemaField = {
        name: fieldName!,
        column: attrs!.match(/@map\("([^"]+)"\)/)?.[1] ?? fieldName!,
        type: type!,
        optional: Boolean(optional),
        list: Boolean(isList),
        dbType: attrs!.match(/@db\.(\w+)/)?.[1],
        isId: /@id\b/.test(attrs!),
        isUnique: /@unique\b/.test(attrs!),
      };
      if (relation && /fields:/.test(relation)) {
        field.relation = {
          fields: list(relation.match(/fields:\s*\[([^\]]*)\]/)?.[1]),
          references: list(relation.match(/references:\s*\[([^\]]*)\]/)?.[1]),
          onDelete: relation.match(/onDelete:\s*(\w+)/)?.[1],
        };
      }
      // Back-relation fields (other model, no `fields:`) have no column.
      if (modelNames.has(type!) && !field.relation) continue;
      fields.push(field);
      if (field.isId) model.primaryKey = [field.name];
      if (field.isUnique) model.uniques.push([field.name]);
    }
    return model;
  });
  for (const model of models) {
    for (const f of model.fields) if (!SCALARS.has(f.type) && !enums[f.type] && !modelNames.has(f.type)) throw new Error(`unknown type ${f.type}`);
  }
  return { models, enums };
}

export function columnOf(model: SchemaModel, fieldName: string): string {
  const field = model.fields.find((f) => f.name === fieldName);
  if (!field) throw new Error(`${model.name}.${fieldName} is not a field`);
  return field.column;
}
