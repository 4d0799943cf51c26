package dev.akt;

/** The test suite's counter: Integer adds, "get" answers the count, anything else is unhandled. */
final class Counter implements Actor {
    int n;

    @Override
    public void receive(Context ctx, Object msg) {
        if (msg instanceof Integer by) {
            n += by;
        } else if ("get".equals(msg)) {
            ctx.respond(n);
        } else {
            ctx.unhandled();
        }
    }
}
