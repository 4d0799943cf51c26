'use strict';
// Keys of the internals that public objects carry for the other modules of this package
// (the system's native handle, its bound fast tell, ...). Symbols, not `_name` properties:
// they stay out of enumeration, JSON and autocompletion, and nothing outside lib/ holds
// them. A symbol-keyed property costs the same as a named one on the hot path.

module.exports = {
  kHandle: Symbol('akt.handle'), // ActorSystem: the native system (an external)
  kFastTell: Symbol('akt.fastTell'), // ActorSystem: tell of the value slot in scratch
  kReport: Symbol('akt.report'), // ActorSystem: reports an actor's failure to its logger
  kCell: Symbol('akt.cell'), // Context: the actor's cell (lib/actor.cjs)
  kLive: Symbol('akt.live'), // Context: true while its callback runs
  kCallSites: Symbol('akt.callSites'), // ActorSystem: asks capture their caller's stack
  kHeld: Symbol('akt.held'), // AsyncContext: its suspended message (lib/actor.cjs)
};
