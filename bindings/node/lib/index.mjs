// ESM entry point: the same objects as the CommonJS one (one module instance, one addon).
import { createRequire } from 'node:module';

const akt = createRequire(import.meta.url)('./index.cjs');

export const {
  ActorSystem,
  Actor,
  Pid,
  Topic,
  Grain,
  Router,
  Context,
  Terminated,
  Message,
  registerDecoder,
  registerType,
  typeId,
  validateCron,
  cronNext,
  CronSyntaxError,
  ScheduleNotFoundError,
  ScheduleExistsError,
  instrumentMetrics,
  tracing,
  otlp,
  version,
  AktError,
  InvalidArgumentError,
  OutOfMemoryError,
  NotFoundError,
  StoppedError,
  TimeoutError,
  CanceledError,
  ExistsError,
  MailboxFullError,
  MisuseError,
  ClosedError,
  UnhandledError,
  ActorFailedError,
  AgainError,
  NotSupportedError,
  MessageTypeError,
  DeadlockError,
  BufferRangeError,
  BusyError,
  UnreachableError,
  ProtocolError,
  SuspendedError,
  CircuitBreaker,
  ManualClock,
  BreakerOpenError,
} = akt;
export default akt;

// Reactive streams (lib/stream.cjs).
export const { Source, Sink, Flow, Stream, SourceRef, STREAM_ACK, STREAM_END, STREAM_CLOSED } = akt;
