export {
  NOTEBOOK_FORMAT,
  NOTEBOOK_FORMAT_VERSION,
  NotebookFormatError,
  emptyNotebook,
  notebookText,
  parseNotebook,
  serializeNotebook,
} from './format';
export type { CellExecution, CellKind, JsonObject, NotebookCell, NotebookDocument, NotebookOutput } from './format';
export { exportIpynb, importIpynb, EXECUTE_RESULT_KEY } from './ipynb';
export {
  ERROR_MIME,
  STDERR_MIME,
  STDOUT_MIME,
  isJsonMime,
  isTextMime,
  outputItemFromBundleValue,
  outputItemFromBytes,
  outputItemToBytes,
} from './output-items';
export type { OutputItem } from './output-items';
export { CellOutputCollector, DISPLAY_ID_KEY, bundleToOutput, errorToOutput } from './kernel-outputs';
export { canonicalJson, decodeUtf8Strict } from './json-text';
export { EXECUTION_KEY, EXTRA_KEY, ITEMS_KEY, docToEditor, editorToDoc } from './editor-model';
export type { EditorCell, EditorExecutionSummary, EditorNotebook, EditorOutput, EditorOutputItem } from './editor-model';
export type { JsonValue } from './json-text';
