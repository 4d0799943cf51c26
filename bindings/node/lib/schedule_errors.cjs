'use strict';
// Schedule-specific errors: subclasses of the code's class, so `instanceof NotFoundError` /
// `instanceof ExistsError` still hold, with the reference they are about.

const { NotFoundError, ExistsError, errnos } = require('./errors.cjs');

/** pauseSchedule / resumeSchedule / cancelSchedule: no schedule has this reference (it never
 *  existed, was cancelled, or its one fire went). */
class ScheduleNotFoundError extends NotFoundError {
  constructor(reference) {
    super(errnos.NotFoundError, `no schedule '${reference}'`);
    this.reference = reference;
  }
}

/** scheduleOnce / scheduleEvery / scheduleCron: another schedule has this reference. */
class ScheduleExistsError extends ExistsError {
  constructor(reference) {
    super(errnos.ExistsError, `schedule '${reference}': the reference is taken`);
    this.reference = reference;
  }
}

// Runs fn (a native schedule call); a not-found or taken reference becomes its class.
function withScheduleErrors(reference, fn, { taken = false } = {}) {
  try {
    return fn();
  } catch (e) {
    if (!taken && e instanceof NotFoundError) throw new ScheduleNotFoundError(reference);
    if (taken && e instanceof ExistsError && typeof reference === 'string')
      throw new ScheduleExistsError(reference);
    throw e;
  }
}

module.exports = { ScheduleNotFoundError, ScheduleExistsError, withScheduleErrors };
