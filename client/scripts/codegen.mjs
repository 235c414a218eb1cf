#!/usr/bin/env node
// graphql-codegen's client preset, driven from a workspace's codegen.json without @graphql-codegen/cli.
// The CLI installs URL, GitHub, git and Apollo-engine loaders and a task renderer whose releases
// declare Node >= 22 (npm ci printed EBADENGINE warnings on our Node 20); our schema and documents
// are local files, so the file loaders and the same load options as the CLI are enough
// (see @graphql-codegen/cli esm/codegen.js and esm/load.js, which this follows step by step so the
// output stays byte-identical).
//
// Usage (from a workspace directory): node <this file> [--config codegen.json] [--check]
//   --check  writes nothing; exits 1 naming the generated files that differ from the committed ones.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { print } from 'graphql';
import { codegen } from '@graphql-codegen/core';
import { preset as clientPreset } from '@graphql-codegen/client-preset';
import { getCachedDocumentNodeFromSchema, normalizeImportExtension } from '@graphql-codegen/plugin-helpers';
import { loadDocuments, loadSchema, NoTypeDefinitionsFound } from '@graphql-tools/load';
import { GraphQLFileLoader } from '@graphql-tools/graphql-file-loader';
import { CodeFileLoader } from '@graphql-tools/code-file-loader';

// What the CLI passes to @graphql-tools/load (its defaultSchemaLoadOptions / defaultDocumentsLoadOptions).
const schemaLoadOptions = { assumeValidSDL: true, sort: true, convertExtensions: true, includeSources: true };
const documentsLoadOptions = { sort: true, skipGraphQLImport: true };

const rootKeys = new Set(['$schema', 'schema', 'documents', 'ignoreNoDocuments', 'emitLegacyCommonJSImports', 'importExtension', 'config', 'generates']);
const outputKeys = new Set(['preset', 'presetConfig', 'config', 'documents']);

const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/** A config this script would silently misread (plugins, hooks, a URL schema…) is refused instead. */
function checkConfig(config, file) {
  const unsupported = (where, key) =>
    new Error(`${file}: ${where}"${key}" is not supported by client/scripts/codegen.mjs (it runs the client preset on local files only)`);
  for (const key of Object.keys(config)) if (!rootKeys.has(key)) throw unsupported('', key);
  for (const p of list(config.schema)) {
    if (typeof p !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(p)) throw unsupported('schema ', String(p));
  }
  if (!config.generates || Object.keys(config.generates).length === 0) throw new Error(`${file}: "generates" is empty`);
  for (const [target, output] of Object.entries(config.generates)) {
    for (const key of Object.keys(output)) if (!outputKeys.has(key)) throw unsupported(`generates["${target}"].`, key);
    if (output.preset !== 'client') throw unsupported(`generates["${target}"].preset `, String(output.preset));
  }
}

/**
 * The files codegen.json describes, as [{ filename, content }] with filenames relative to `cwd`,
 * in the CLI's order. Nothing is written.
 */
export async function generate(cwd, configFile = 'codegen.json') {
  const file = path.resolve(cwd, configFile);
  const config = JSON.parse(await readFile(file, 'utf8'));
  checkConfig(config, path.relative(process.cwd(), file) || file);

  const schemaPointers = Object.fromEntries(list(config.schema).map((p) => [p, {}]));
  const schemaAst = await loadSchema(schemaPointers, {
    ...schemaLoadOptions,
    loaders: [new GraphQLFileLoader()],
    cwd,
    ...config.config,
  });
  const schema = getCachedDocumentNodeFromSchema(schemaAst);

  const results = [];
  for (const [target, output] of Object.entries(config.generates)) {
    const pointers = clientPreset.prepareDocuments(target, [...list(config.documents), ...list(output.documents)]);
    let documents;
    try {
      documents = await loadDocuments(Object.fromEntries(pointers.map((p) => [p, {}])), {
        ...documentsLoadOptions,
        loaders: [new CodeFileLoader({ pluckConfig: { skipIndent: true } }), new GraphQLFileLoader()],
        cwd,
        ...config.config,
      });
    } catch (error) {
      if (!(error instanceof NoTypeDefinitionsFound && config.ignoreNoDocuments)) throw error;
      documents = [];
    }
    for (const doc of documents) {
      doc.hash = doc.rawSDL ? sha256(doc.rawSDL) : doc.document ? sha256(print(doc.document)) : null;
      doc.type = 'standard';
    }

    const rawConfig = {
      ...config.config,
      emitLegacyCommonJSImports: config.emitLegacyCommonJSImports,
      importExtension: config.importExtension,
      ...output.config,
    };
    const importExtension = normalizeImportExtension(rawConfig);
    const emitLegacyCommonJSImports = rawConfig.emitLegacyCommonJSImports ?? true;
    const sections = await clientPreset.buildGeneratesSection({
      baseOutputDir: target,
      presetConfig: output.presetConfig ?? {},
      plugins: [],
      schema,
      schemaAst,
      documents,
      config: { ...rawConfig, importExtension, emitLegacyCommonJSImports },
      pluginMap: {},
      pluginContext: {},
      documentTransforms: [],
    });
    for (const section of sections) {
      const content = await codegen({ ...section, importExtension, emitLegacyCommonJSImports });
      results.push({ filename: section.filename, content });
    }
  }
  return results;
}

async function main(argv) {
  const at = argv.indexOf('--config');
  const configFile = at >= 0 ? argv[at + 1] : 'codegen.json';
  const check = argv.includes('--check');
  const cwd = process.cwd();
  const stale = [];
  for (const { filename, content } of await generate(cwd, configFile)) {
    const target = path.resolve(cwd, filename);
    const current = await readFile(target, 'utf8').catch(() => null);
    if (current === content) continue;
    if (check) {
      stale.push(filename);
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  if (stale.length) {
    process.stderr.write(`out of date (run codegen): ${stale.join(', ')}\n`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`codegen: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
