import * as l10n from '@vscode/l10n';
import type { Compression, DecodedNote, Recipe } from '../../src/drivers/codecs/shapes';
import { codecName } from './decodedLabel';

/** How one layer is compressed again on save: "gzip with the stored header, level 6", "brotli quality 11". */
export function recipeText(recipe: Recipe): string {
  switch (recipe.codec) {
    case 'gzip': return l10n.t('gzip with the stored header, level {0}', String(recipe.level));
    case 'zlib': return recipe.windowBytes === undefined ? l10n.t('zlib level {0}', String(recipe.level)) : l10n.t('zlib level {0}, window {1} bytes', String(recipe.level), String(recipe.windowBytes));
    case 'deflate-raw': return l10n.t('raw deflate level {0}', String(recipe.level));
    case 'brotli': return l10n.t('Brotli quality {0}', String(recipe.quality));
    case 'lz4': return l10n.t('an LZ4 frame (lz4js defaults)');
    case 'snappy': return codecName('snappy');
  }
}

const layersText = (layers: readonly Compression[]): string => layers.map(codecName).join(' + ');

/** Why a decoded value is read-only, or how an edit of it is stored, from the driver's facts. */
export function noteText(note: DecodedNote): string {
  switch (note.kind) {
    case 'plain': return l10n.t('Plain text.');
    case 'bytes': return l10n.t('Not text: shown with \\x escapes, read-only.');
    case 'structure': return l10n.t('Shown read-only: a {0} structure is read, never re-serialized, so it could not be written back as its writer would.', codecName(note.format));
    case 'unreproducible': return l10n.t('Shown read-only: its {0} header asks for settings Switchboard cannot compress with, so an edit could not be stored in the same format.', layersText(note.layers));
    case 'recompressed': {
      // Outermost first: "gzip …, then zlib …".
      const recipes = note.recipes.map(recipeText).reduce<string | undefined>((outer, inner) => (outer === undefined ? inner : l10n.t('{0}, then {1}', outer, inner)), undefined) ?? '';
      return note.exact
        ? l10n.t('Saving compresses again with {0}, checked to reproduce the stored bytes exactly.', recipes)
        : l10n.t('Saving compresses again with {0}: the same format, though not the same compressed bytes (its writer\'s {1} build compresses differently); every reader gets the edited text, checked before it is stored.', recipes, layersText(note.layers));
    }
  }
}
