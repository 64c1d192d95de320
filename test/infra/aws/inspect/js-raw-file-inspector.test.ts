import { JsRawFileInspector } from '../../../../infra/aws/inspect/js-raw-file-inspector';
import { rawFileInspectorContract } from '../../../handlers/ports/raw-file-inspector.contract';

rawFileInspectorContract('pure JavaScript (AWS register-landing)', () => new JsRawFileInspector());
