/*
 * record.h: library-private checks of inventory records (record.c),
 * made before a record is stored, whatever the store.
 */
#ifndef HW_RECORD_H
#define HW_RECORD_H

/* An information type as stored: a valid id, a name, text fields of
 * valid text, all three levels or none, na only for confidentiality. */
int hwp_infotype_check(const struct hw_infotype *t, struct hw_error *err);

/* An asset's own fields (not its assignments): id, name, type, owner,
 * text, direct levels (never na). */
int hwp_asset_check(const struct hw_asset *a, struct hw_error *err);

/* A dependency's fields: two different ends, a known type, carries at
 * least one objective. */
int hwp_dep_check(const struct hw_dep *d, struct hw_error *err);

/* Give assignment g the provisional levels of its type t as base and
 * check it: unset selected objectives take them, na only for
 * confidentiality, levels needed where t has none, a justification
 * when adjusted. */
int hwp_assignment_fill(struct hw_assignment *g, const struct hw_infotype *t,
			struct hw_error *err);

/* Records as JSON objects with the inventory format's keys (record-
 * json.c): an information type, an asset with its factors and
 * assignments, a dependency.  A new value, or NULL out of memory. */
struct json_t;
struct json_t *hwp_infotype_json(const struct hw_infotype *t);
struct json_t *hwp_asset_json(const struct hw_asset *a);
struct json_t *hwp_dep_json(const struct hw_dep *d);

/* The canonical text (canon.h) of hwp_asset_json(a) and hwp_dep_json(d),
 * appended to b straight from the record: the same bytes, faster.  0,
 * or -1 with err (out of memory, a real that is not finite). */
struct hwp_buf;
int hwp_asset_canon(struct hwp_buf *b, const struct hw_asset *a,
		    struct hw_error *err);
int hwp_dep_canon(struct hwp_buf *b, const struct hw_dep *d,
		  struct hw_error *err);

#endif /* HW_RECORD_H */
