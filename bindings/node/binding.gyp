{
  "targets": [
    {
      "target_name": "akt",
      "sources": [
        "src/pump.c", "src/errors.c", "src/values.c",
        "src/system.c", "src/send.c", "src/actor.c", "src/ctx.c", "src/events.c",
        "src/native.c", "src/cron.c", "src/router.c", "src/metrics.c", "src/headers.c",
        "src/grain.c", "src/remote2.c", "src/serial.c", "src/stream.c", "src/breaker.c", "src/trace.c", "src/otlp.c", "src/propagator.c", "src/typed.c"
      ],
      "include_dirs": ["<!(node -p \"process.env.AKT_INCLUDE_DIR || require('path').resolve('../../abi/include')\")"],
      "cflags": ["<!@(node -p \"require('./scripts/cflags.json').join(' ')\")", "-O2"],
      "cflags!": ["-fno-exceptions"],
      "libraries": [
        "-L<!(node -p \"process.env.AKT_LIB_DIR\")",
        "-lakt", "-ldl",
        "-Wl,-rpath,'$$ORIGIN'"
      ]
    }
  ]
}
