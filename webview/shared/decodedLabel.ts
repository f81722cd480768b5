import * as l10n from '@vscode/l10n';
import type { Codec, CodecChoice, Decoded, StructNode } from '../../src/drivers/codecs/shapes';
import { countOf } from './viewFormat';

/**
 * How each decoder is named to a person, in the selector and in what was detected (worded when used, once the
 * panel's bundle is loaded; the names of formats stay as their authors spell them).
 */
const CODEC_NAMES: Readonly<Record<Codec, () => string>> = {
  gzip: () => 'gzip',
  zlib: () => 'zlib',
  'deflate-raw': () => l10n.t('raw deflate'),
  brotli: () => 'Brotli',
  lz4: () => 'LZ4',
  snappy: () => 'Snappy',
  msgpack: () => 'MessagePack',
  php: () => l10n.t('PHP serialize'),
  java: () => l10n.t('Java serialization'),
  pickle: () => 'pickle',
};

export const codecName = (codec: Codec): string => CODEC_NAMES[codec]();

export function choiceName(choice: CodecChoice): string {
  if (choice === 'auto') return l10n.t('Auto-detect');
  if (choice === 'none') return l10n.t('Raw (as stored)');
  return CODEC_NAMES[choice]();
}

/**
 * What a value turned out to be, outermost layer first: "gzip → JSON", "zlib → pickle (protocol 4)", "text".
 * A structure's format is the last layer; compression layers come before it.
 */
export function decodedLabel(decoded: Decoded): string {
  const { view } = decoded;
  const compressions = view.kind === 'structure' ? decoded.layers.slice(0, -1) : decoded.layers;
  const last =
    view.kind === 'structure' ? (view.version !== undefined ? l10n.t('{0} (protocol {1})', CODEC_NAMES[view.format](), String(view.version)) : CODEC_NAMES[view.format]())
    : view.kind === 'bytes' ? l10n.t('bytes')
    : view.json ? 'JSON' : l10n.t('text');
  return [...compressions.map((codec) => CODEC_NAMES[codec]()), last].join(' → ');
}

/** A node's line in the structure view: its key and its value (a scalar), or what it is and holds (a container). */
export function nodeLine(key: string | undefined, node: StructNode): { text: string; type: string } {
  const head = key === undefined ? '' : `${key}: `;
  if (node.entries === undefined) return { text: `${head}${node.value ?? ''}`, type: node.type };
  const count = node.entries.length;
  const what = node.value === undefined ? node.type : `${node.type} ${node.value}`;
  return { text: `${head}${what}`, type: countOf(count, l10n.t('{0} entry'), l10n.t('{0} entries')) };
}
