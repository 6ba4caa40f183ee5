/**
 * Type-checks generated model modules and emits them as JavaScript, in
 * memory, with @ts-morph/bootstrap. The generated text is
 * checked against emit/contract.ts, so a type error in it is a bug in
 * Weft's emitter, reported as an internal error naming the model line of
 * the step whose code is wrong. emit/cache.ts loads this module only when
 * its cache misses: the TypeScript compiler takes about 100 MB once loaded.
 */
import { createProjectSync, ts } from '@ts-morph/bootstrap';
import { readFileSync } from 'node:fs';
import type { EmittedStep } from './emitTs.ts';
import { packageFile } from '../package.ts';

/** Read at run time, also by the installed package (package.json's `files` ships it). */
const contractPath = packageFile('src/emit/contract.ts');

export interface TsModule {
  /** A name for messages and the in-memory file, e.g. `peterson.default`. */
  readonly name: string;
  readonly text: string;
  /** Where each step's code is in `text` (emitTs returns it), so an error names the model line. */
  readonly steps?: readonly EmittedStep[];
}

export class GeneratedCodeError extends Error {}

/**
 * Compiles several generated modules in one TypeScript program (loading the
 * standard library once is most of the cost) and returns their JavaScript.
 */
export function compileTs(modules: readonly TsModule[]): Map<string, string> {
  const project = createProjectSync({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      strict: true,
      noImplicitReturns: true,
      noFallthroughCasesInSwitch: true,
      skipLibCheck: true,
      types: [],
    },
  });
  project.createSourceFile('/contract.ts', readFileSync(contractPath, 'utf8'));
  const files = modules.map((m) => ({ m, file: project.createSourceFile(`/${safeName(m.name)}.ts`, m.text) }));
  const program = project.createProgram();
  const problems = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (problems.length) {
    const d = problems[0]!;
    const m = files.find((f) => f.file.fileName === d.file?.fileName)?.m;
    const where = m ? stepAt(m, d.start ?? -1) ?? m.name : 'a model';
    throw new GeneratedCodeError(`generated code for ${where} does not type-check: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  const out = new Map<string, string>();
  for (const { m, file } of files) {
    program.emit(file, (name, text) => { if (name.endsWith('.js')) out.set(m.name, text); });
  }
  return out;
}

/** The model line of the step whose code is at `pos`, from the emitter's map (never from the comments). */
function stepAt(m: TsModule, pos: number): string | undefined {
  return m.steps?.find((s) => s.start <= pos && pos < s.end)?.where;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}
