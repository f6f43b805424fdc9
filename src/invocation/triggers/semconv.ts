// Semantic-convention attribute names and values used by trigger detection.
//
// Defined here instead of imported: `@opentelemetry/semantic-conventions` is left external in
// dist/, and loading its stable entry costs ~15 ms at cold start, the incubating entry ~35 ms
// (a 346 KB CommonJS bundle when a user bundles our CJS build). Names checked against
// semantic-conventions 1.45 (current, non-deprecated names: e.g. `messaging.system.name`,
// which replaced `messaging.system`).

// FaaS (development)
export const FAAS_TRIGGER = 'faas.trigger';
export const FAAS_DOCUMENT_COLLECTION = 'faas.document.collection';
export const FAAS_DOCUMENT_NAME = 'faas.document.name';
export const FAAS_DOCUMENT_OPERATION = 'faas.document.operation';
export const FAAS_DOCUMENT_TIME = 'faas.document.time';
export const FAAS_TIME = 'faas.time';
export const FAAS_CRON = 'faas.cron';

// HTTP, URL, network (stable)
export const HTTP_REQUEST_METHOD = 'http.request.method';
export const HTTP_REQUEST_METHOD_ORIGINAL = 'http.request.method_original';
export const HTTP_ROUTE = 'http.route';
export const HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const URL_PATH = 'url.path';
export const URL_SCHEME = 'url.scheme';
export const URL_QUERY = 'url.query';
export const SERVER_ADDRESS = 'server.address';
export const SERVER_PORT = 'server.port';
export const CLIENT_ADDRESS = 'client.address';
export const USER_AGENT_ORIGINAL = 'user_agent.original';
export const NETWORK_PROTOCOL_VERSION = 'network.protocol.version';
export const ERROR_TYPE = 'error.type';
/** Prefix of `http.request.header.<name>` (opt-in header capture). */
export const HTTP_REQUEST_HEADER_PREFIX = 'http.request.header.';

// Messaging (development)
export const MESSAGING_SYSTEM_NAME = 'messaging.system.name';
export const MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const MESSAGING_MESSAGE_ID = 'messaging.message.id';

// AWS (development)
export const AWS_SNS_TOPIC_ARN = 'aws.sns.topic.arn';
export const AWS_KINESIS_STREAM_NAME = 'aws.kinesis.stream_name';
export const AWS_DYNAMODB_TABLE_NAMES = 'aws.dynamodb.table_names';
export const AWS_S3_BUCKET = 'aws.s3.bucket';

// Values
export const MESSAGING_OPERATION_PROCESS = 'process';
/** Registry values of `messaging.system.name`. */
export const MESSAGING_SYSTEM_AWS_SQS = 'aws.sqs';
export const MESSAGING_SYSTEM_AWS_SNS = 'aws.sns';
/** Custom values (the registry has none for these; custom values are allowed). */
export const MESSAGING_SYSTEM_AWS_KINESIS = 'aws.kinesis';
export const MESSAGING_SYSTEM_AWS_EVENTBRIDGE = 'aws.eventbridge';
export const MESSAGING_SYSTEM_AWS_DYNAMODB_STREAMS = 'aws.dynamodb_streams';
