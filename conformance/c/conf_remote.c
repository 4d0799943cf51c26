/* Two nodes in one process (conf_remote.h). */
#include "conf_remote.h"

akt_system *conf_node_create(const char *name) {
    akt_system_options options;
    akt_system *system = NULL;
    CONF_OK(akt_system_options_init(&options));
    options.name = name;
    CONF_OK(akt_system_create(&options, &system));
    return system;
}

void conf_remote_start(akt_system *system) {
    akt_remote_options options;
    CONF_OK(akt_remote_options_init(&options));
    options.host = "127.0.0.1";
    options.port = 0;
    CONF_OK(akt_remote_start(system, &options));
}
