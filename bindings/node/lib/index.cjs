'use strict';
// akt for Node.js: actors in JavaScript on akt's runtime. See README.md.

const native = require('./addon.cjs');
const errors = require('./errors.cjs');
const { Actor, Terminated } = require('./actor.cjs');
const { ActorSystem } = require('./system.cjs');
const { Pid } = require('./pid.cjs');
const { Topic } = require('./topic.cjs');
const { Grain } = require('./grain.cjs');
const { Router } = require('./router.cjs');
const { Context } = require('./context.cjs');
const { Message, registerDecoder, registerType } = require('./types.cjs');
const { CronSyntaxError, validateCron, cronNext } = require('./cron.cjs');
const { ScheduleNotFoundError, ScheduleExistsError } = require('./schedule_errors.cjs');
const { instrument: instrumentMetrics } = require('./metrics.cjs');
const { CircuitBreaker, ManualClock, BreakerOpenError } = require('./breaker.cjs');
const tracing = require('./trace.cjs');
const otlp = require('./otlp.cjs');

const { makeError, codeOf, errnos, errnoOfRuleKey, ...errorClasses } = errors;

module.exports = {
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
  typeId: (name) => native.typeId(name),
  validateCron,
  cronNext,
  CronSyntaxError,
  ScheduleNotFoundError,
  ScheduleExistsError,
  instrumentMetrics,
  tracing,
  otlp,
  version: native.version(),
  ...errorClasses,
  CircuitBreaker,
  ManualClock,
  BreakerOpenError,
};

// Reactive streams (lib/stream.cjs).
Object.assign(module.exports, require('./stream.cjs'));
