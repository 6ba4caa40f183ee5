/**
 * Loads grammar/weft.ohm once and attaches the toAst operation. The grammar
 * is read at run time, so editing it needs no build step.
 */
import * as ohm from 'ohm-js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addToAst } from './toAst.ts';

export const grammarPath = fileURLToPath(new URL('../../grammar/weft.ohm', import.meta.url));
export const grammarSource = readFileSync(grammarPath, 'utf8');
export const grammar = ohm.grammar(grammarSource);
export const semantics = grammar.createSemantics();
addToAst(semantics);
