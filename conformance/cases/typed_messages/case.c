/* typed_messages: a registered type's handle makes messages; a receive switches on the id. */
#include "conf.h"

#include <stdio.h>
#include <string.h>

typedef struct shop {
    long orders, notes, sum;
} shop;

static uint32_t order_id; /* set before the actor is spawned */

static int shop_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    shop *s = state;
    uint32_t id = akt_msg_type_id(msg);
    if (id == order_id) { /* one integer compare, no strcmp */
        s->orders++;
        s->sum += conf_num(msg);
        return 0;
    }
    if (id == 0 && conf_is(msg, "conf.Note")) {
        s->notes++;
        return 0;
    }
    if (id == 0 && conf_is(msg, "conf.Get")) {
        char text[96];
        snprintf(text, sizeof text, "orders=%ld notes=%ld sum=%ld", s->orders, s->notes, s->sum);
        return conf_respond(ctx, "conf.Totals", text);
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior shop_behavior = {.size = sizeof(akt_behavior), .receive = shop_receive};

int main(void) {
    static shop state;
    char buf[256];
    akt_system *sys = conf_system_create();

    /* 1-2. Registered once, the same handle every time. */
    const akt_type *order, *again;
    CONF_OK(akt_type_register(sys, "conf.Order", &order));
    order_id = akt_type_id(order);
    conf_say("register", "%s", order_id >= 1 && order_id <= 4095 ? "ok" : "bad id");
    CONF_OK(akt_type_register(sys, "conf.Order", &again));
    conf_say("register.again", "%s", akt_type_id(again) == order_id ? "same id" : "different id");

    /* 3. A name nobody registered has no id. */
    const akt_type *note;
    conf_say("lookup.unregistered", "%u",
             akt_type_lookup("conf.Note", &note) == AKT_ENOTFOUND ? 0u : akt_type_id(note));

    /* 4. Orders by handle (no copy of the name), notes by name. */
    akt_pid p = conf_spawn(sys, &shop_behavior, &state, "shop");
    const char *amounts[] = {"2", "3", "5"};
    for (int i = 0; i < 3; i++) {
        akt_msg *m;
        CONF_OK(akt_msg_new_typed(order, amounts[i], strlen(amounts[i]), AKT_COPY, &m));
        CONF_OK(akt_tell(sys, p, m));
    }
    for (int i = 0; i < 2; i++) CONF_OK(conf_tell(sys, p, "conf.Note", ""));
    conf_say("totals", "%s", conf_ask_str(sys, p, "conf.Get", "", buf, sizeof buf));

    /* 5. Made from the registered name: the same id. */
    CONF_OK(conf_tell(sys, p, "conf.Order", "7"));
    conf_say("totals.by_name", "%s", conf_ask_str(sys, p, "conf.Get", "", buf, sizeof buf));

    conf_system_finish(sys);
    return 0;
}
