/* json_get.h - members of json-c objects, NULL where the object, the member or its type is not what was asked for; the readers' one-line reasons. */
#ifndef PMIG_JSON_GET_H
#define PMIG_JSON_GET_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

/** Member @key of @obj, or NULL when @obj is not an object or has none. */
static inline struct json_object *pmig_json_get(struct json_object *obj,
						const char *key)
{
	struct json_object *v = NULL;

	if (!obj || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

/** Member @key of @obj as a string, or NULL when it is missing or not a string. */
static inline const char *pmig_json_str(struct json_object *obj,
					const char *key)
{
	struct json_object *v = pmig_json_get(obj, key);

	return v && json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) :
		       NULL;
}

/** Whether @o is a JSON number (int or double); false for NULL. */
static inline bool pmig_json_is_number(struct json_object *o)
{
	return o && (json_object_is_type(o, json_type_int) ||
		     json_object_is_type(o, json_type_double));
}

/** Writes a reader's reason for refusing its input into @why (NULL or 0: nothing). */
static inline void pmig_json_why(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void pmig_json_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (!why || !whylen)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

#endif
