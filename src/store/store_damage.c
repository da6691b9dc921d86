/* store_damage.c - the registry rows of one generation that could not be read (struct
 * store_damage_list): recorded by the layer registry's reader (store_catalog.c) and the
 * featured statistics' (store_featured.c), freed with the catalog. Apart from
 * store_catalog.c because that file calls store_featured.c. */
#include "store/store_read_int.h"

#include <stdlib.h>

#include "base/alloc.h"
#include "base/log.h"

void store_damage_add(struct store_damage_list *d, const char *id, bool is_featured,
                      const char *reason)
{
    if (d->n == d->cap) {
        d->cap = d->cap * 2 + 4;
        d->items = xreallocarray(d->items, d->cap, sizeof(*d->items));
    }
    d->items[d->n++] = (struct store_damaged){xstrdup(id), xstrdup(reason), is_featured};
    log_error("damaged database: %s; requests that name it get a 500, the rest is served", reason);
}

void store_damage_clear(struct store_damage_list *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].id);
        free(d->items[i].reason);
    }
    free(d->items);
    *d = (struct store_damage_list){0};
}
