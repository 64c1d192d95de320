import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert, AlertSink } from '../../../handlers/ports/alert-sink';
import { AlertDeliveryError } from '../../../handlers/ports/alert-sink-errors';
import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';

/** SNS subjects: ASCII, no line breaks, fewer than 100 characters. */
function subjectOf(title: string): string {
  const ascii = title.replace(/[^\x20-\x7e]/g, '?').trim();
  if (ascii === '') return 'Tributary alert';
  return ascii.length > 99 ? `${ascii.slice(0, 96)}...` : ascii;
}

/** SNS errors that mean the topic or our access to it is broken: resending cannot help. */
const POISON: ReadonlySet<string> = new Set(['AuthorizationErrorException', 'NotFoundException', 'InvalidParameterException', 'InvalidParameterValueException', 'KMSDisabledException', 'KMSNotFoundException', 'KMSAccessDeniedException', 'KMSInvalidStateException']);

/**
 * The alert sink on an SNS topic (KMS-encrypted, with the on-call email subscribed). One publish per
 * alert, with per-protocol messages: email gets the readable body followed by the StageFailed detail;
 * every other subscriber (SQS, Lambda, HTTPS) gets the whole alert as JSON `{title, body, detail}`.
 * Throttling, service faults and KMS throttling are retryable; a missing topic or denied access is not.
 */
export class SnsAlertSink implements AlertSink {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async send(alert: Alert): Promise<void> {
    const machine = JSON.stringify({ title: alert.title, body: alert.body, detail: alert.detail });
    const email = `${alert.body}\n\n--\nStageFailed detail:\n${JSON.stringify(alert.detail, null, 2)}\n`;
    try {
      await this.client.send(
        new PublishCommand({ TopicArn: this.topicArn, Subject: subjectOf(alert.title), MessageStructure: 'json', Message: JSON.stringify({ default: machine, email }) }),
      );
    } catch (error) {
      const code = awsErrorCode(error);
      throw new AlertDeliveryError(`SNS ${code} publishing to ${this.topicArn}: ${awsErrorMessage(error)}`, {
        sink: 'sns',
        retryable: !POISON.has(code) && (isTransientAwsError(error) || code.startsWith('KMS') || code === 'UnknownError'),
        cause: error,
      });
    }
  }
}
