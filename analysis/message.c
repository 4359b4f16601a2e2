/*
 * message - names for message records (see message.h).
 */
#include "config.h"

#include "analysis/message.h"

/* message_origin_name - name of an origin */
const char *
message_origin_name(enum message_origin origin)
{
	switch (origin) {
	case ORIGIN_SMTP:
		return "smtp";
	case ORIGIN_PICKUP:
		return "pickup";
	case ORIGIN_BOUNCE:
		return "bounce";
	case ORIGIN_UNKNOWN:
		break;
	}
	return "unknown";
}
