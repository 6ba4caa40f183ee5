/**
 * Loads grammar/weft.ohm once and attaches the toAst operation. In a clone
 * the grammar is read and compiled at run time, so editing it needs no
 * build step; the bundle (scripts/build.mjs) carries the same grammar
 * already compiled, as ohm's recipe, since compiling the .ohm text is most
 * of a start-up's time. The text is read in both: it is the reference.
 */
import * as ohm from 'ohm-js';
import { readFileSync } from 'node:fs';
import { addToAst } from './toAst.ts';
import { packageFile } from '../package.ts';

/** Set by the build (esbuild `define`) to `grammar.toRecipe()`, a JSON text; absent in the sources. */
declare const WEFT_GRAMMAR_RECIPE: string | undefined;

/** ohm-js exports makeRecipe (it builds its own grammar of grammars with it) but does not declare it. */
const makeRecipe = (ohm as unknown as { makeRecipe(recipe: string): ohm.Grammar }).makeRecipe;

export const grammarPath = packageFile('grammar/weft.ohm');
export const grammarSource = readFileSync(grammarPath, 'utf8');
export const grammar: ohm.Grammar = typeof WEFT_GRAMMAR_RECIPE === 'string' ? makeRecipe(WEFT_GRAMMAR_RECIPE) : ohm.grammar(grammarSource);
export const semantics = grammar.createSemantics();
addToAst(semantics);
