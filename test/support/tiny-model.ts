/**
 * Writes a real, tiny BERT-shaped model that transformers.js loads offline, so the
 * transformers embedder can be tested without the Hugging Face hub.
 *
 * The "network" is a single embedding lookup: last_hidden_state = table[input_ids].
 * Content token k points mostly along axis k mod 8 (plus a little seeded noise so no two
 * rows are equal), so after mean pooling, texts built from tokens on disjoint axes are
 * nearly orthogonal and texts sharing tokens are clearly similar.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

const DIMENSIONS = 8;
const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
/**
 * Listed in groups of eight so each group spans all axes once: 北 and 论 share axis 0, and so on.
 * "query", "passage" and ":" let e5-style prefixes tokenise without [UNK].
 */
const CONTENT_TOKENS = [
  '北', '京', '政', '协', '委', '员', '会', '议',
  '论', '坛', '市', '民', '生', '城', '发', '展',
  'forum', 'beijing', 'meeting', 'city', 'the', 'of', 'and', 'cppcc',
  'query', 'passage', ':', '##s',
];
const NOISE = 0.1;

export interface TinyModel {
  /** Pass as `localModelPath`; the model lives in `${localModelPath}/${model}/`. */
  localModelPath: string;
  model: string;
  dimensions: number;
}

export async function buildTinyModel(dir: string, name = 'tiny/test-embedder'): Promise<TinyModel> {
  const modelDir = path.join(dir, ...name.split('/'));
  await mkdir(path.join(modelDir, 'onnx'), { recursive: true });

  const vocabulary = [...SPECIAL_TOKENS, ...CONTENT_TOKENS];
  const onnxBytes = buildOnnxModel(embeddingTable(vocabulary.length));

  await Promise.all([
    writeJson(path.join(modelDir, 'config.json'), {
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: DIMENSIONS,
      vocab_size: vocabulary.length,
      max_position_embeddings: 512,
    }),
    writeJson(path.join(modelDir, 'tokenizer.json'), tokenizerJson(vocabulary)),
    writeJson(path.join(modelDir, 'tokenizer_config.json'), {
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      unk_token: '[UNK]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      cls_token: '[CLS]',
      mask_token: '[MASK]',
    }),
    writeFile(path.join(modelDir, 'onnx', 'model.onnx'), onnxBytes),
    // transformers.js loads this name by default; the fixture has no real int8 variant.
    writeFile(path.join(modelDir, 'onnx', 'model_quantized.onnx'), onnxBytes),
  ]);

  return { localModelPath: dir, model: name, dimensions: DIMENSIONS };
}

/** Row-major [vocabularySize, DIMENSIONS]; special tokens get noise only. */
function embeddingTable(vocabularySize: number): Float32Array {
  const random = seededRandom(42);
  const table = new Float32Array(vocabularySize * DIMENSIONS);
  for (let id = 0; id < vocabularySize; id++) {
    for (let d = 0; d < DIMENSIONS; d++) table[id * DIMENSIONS + d] = (random() * 2 - 1) * NOISE;
    const contentIndex = id - SPECIAL_TOKENS.length;
    if (contentIndex >= 0) table[id * DIMENSIONS + (contentIndex % DIMENSIONS)]! += 1;
  }
  return table;
}

/** mulberry32: deterministic, so the fixture is identical on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Declares the three inputs a BERT export has (transformers.js feeds exactly the inputs the
 * session lists); only input_ids is used, since the pipeline applies attention_mask itself
 * when mean pooling.
 */
function buildOnnxModel(table: Float32Array): Uint8Array {
  const vocabularySize = table.length / DIMENSIONS;
  const tokenMatrix = (name: string) => valueInfo(name, onnx.TensorProto.DataType.INT64, ['batch', 'sequence']);

  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'cppcc-forum-bot tests',
    graph: {
      name: 'tiny_embedder',
      input: [tokenMatrix('input_ids'), tokenMatrix('attention_mask'), tokenMatrix('token_type_ids')],
      initializer: [
        {
          name: 'word_embeddings',
          dataType: onnx.TensorProto.DataType.FLOAT,
          dims: [vocabularySize, DIMENSIONS],
          rawData: new Uint8Array(table.buffer, table.byteOffset, table.byteLength),
        },
      ],
      node: [
        {
          name: 'lookup',
          opType: 'Gather',
          input: ['word_embeddings', 'input_ids'],
          output: ['last_hidden_state'],
          attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
        },
      ],
      output: [valueInfo('last_hidden_state', onnx.TensorProto.DataType.FLOAT, ['batch', 'sequence', DIMENSIONS])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function valueInfo(name: string, elemType: number, shape: (string | number)[]) {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** A WordPiece tokenizer in the tokenizers (Rust) JSON format that BertTokenizer reads. */
function tokenizerJson(vocabulary: string[]) {
  const idOf = (token: string) => vocabulary.indexOf(token);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true, // splits CJK text into one token per character
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        (['[CLS]', '[SEP]'] as const).map((token) => [token, { id: token, ids: [idOf(token)], tokens: [token] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocabulary.map((token, id) => [token, id])),
    },
  };
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, 2) + '\n');
}
