import fs from 'node:fs/promises';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from './db/orm.js';
import { buildKirokuSchema, printKirokuSchema } from './graphql/schema.js';
import { buildWriteSpecs } from './graphql/crud.js';
import { manifestJsonSchema } from './manifest/json-schema.js';
import { isInputObjectType, isScalarType } from 'graphql';
import { jsonInputOf, jsonInputSchemaFile } from './graphql/json-input.js';
import { inputJsonSchema } from './graphql/input-limits.js';

/** The generated, committed files: the GraphQL schema, the manifest's JSON Schema and those of the JSON inputs (`RegisterDatasetsPush`). */
export async function renderSchemas(): Promise<Record<string, string>> {
  const orm = await MikroORM.init(ormOptions('postgresql://unused@127.0.0.1:1/unused', { connect: false }));
  try {
    const { schema } = await buildKirokuSchema(orm.getMetadata());
    const specs = buildWriteSpecs(orm.getMetadata());
    const files: Record<string, string> = {
      'schema.graphql': printKirokuSchema(schema),
      'manifest.schema.json': JSON.stringify(manifestJsonSchema(specs), null, 2) + '\n',
    };
    for (const type of Object.values(schema.getTypeMap())) {
      const of = isScalarType(type) ? jsonInputOf(type) : undefined;
      const input = of ? schema.getType(of) : undefined;
      if (of && isInputObjectType(input)) files[jsonInputSchemaFile(of)] = JSON.stringify(inputJsonSchema(input), null, 2) + '\n';
    }
    return files;
  } finally {
    await orm.close(true);
  }
}

export async function emitSchemas(dir: string): Promise<string[]> {
  const files = await renderSchemas();
  // A directory named on the command line need not exist yet (it failed with a raw ENOENT stack).
  await fs.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    await fs.writeFile(file, text);
    written.push(file);
  }
  return written;
}
