# A Postfix relay with an amavisd-new content filter (see README).
BEGIN {
	for (i = 1; i <= 16; i++) {
		t = 36000 + 2 * i
		p = sprintf("1A%08X", i)
		c = sprintf("2B%08X", i)
		if (i % 4 == 3) {
			# no login: relayed for an IP of the ISP's network
			who = "client=dsl-" i ".isp.example[198.18.0." i "]"
			u = "info"
		} else {
			u = "user" (i % 3)
			who = "client=dsl-" i ".isp.example[198.18.0." i "]," \
			    " sasl_method=PLAIN, sasl_username=" u
		}
		L(t, "postfix/submission/smtpd[" (1000 + i) "]: " p ": " who)
		L(t, "postfix/cleanup[50]: " p ": message-id=<" i "@isp>")
		L(t + 1, "postfix/qmgr[60]: " p ": from=<" u "@isp.example>," \
		    " size=1000, nrcpt=2 (queue active)")
		if (i == 14) {
			# the filter throws it away as spam: no copy
			for (k = 1; k <= 2; k++)
				L(t + 3, "postfix/smtp[70]: " p ": to=<r" k \
				    "." i "@remote.example>, relay=127.0.0.1" \
				    "[127.0.0.1]:10024, delay=3," \
				    " delays=1/0/0/2, dsn=2.7.0, status=sent" \
				    " (250 2.7.0 Ok, discarded, id=0" i \
				    "-01 - spam)")
			L(t + 3, "postfix/qmgr[60]: " p ": removed")
			continue
		}
		if (i == 16) {
			# the filter refuses it: no copy
			for (k = 1; k <= 2; k++)
				L(t + 3, "postfix/smtp[70]: " p ": to=<r" k \
				    "." i "@remote.example>, relay=127.0.0.1" \
				    "[127.0.0.1]:10024, delay=3," \
				    " delays=1/0/0/2, dsn=5.7.0," \
				    " status=bounced (host 127.0.0.1" \
				    "[127.0.0.1] said: 554" \
				    " 5.7.0 Reject, id=0" i "-01 - spam (in" \
				    " reply to end of DATA command))")
			L(t + 3, "postfix/qmgr[60]: " p ": removed")
			continue
		}
		L(t + 2, "postfix/smtpd[" (2000 + i) "]: " c \
		    ": client=localhost[127.0.0.1]")
		L(t + 2, "postfix/cleanup[50]: " c ": message-id=<" i "@isp>")
		L(t + 2, "postfix/qmgr[60]: " c ": from=<" u "@isp.example>," \
		    " size=1500, nrcpt=2 (queue active)")
		for (k = 1; k <= 2; k++)
			L(t + 3, "postfix/smtp[70]: " p ": to=<r" k "." i \
			    "@remote.example>, relay=127.0.0.1[127.0.0.1]" \
			    ":10024, delay=3, delays=1/0/0/2, dsn=2.0.0," \
			    " status=sent (250 2.0.0 from MTA(smtp:" \
			    "[127.0.0.1]:10025): 250 2.0.0 Ok: queued as " \
			    c ")")
		L(t + 3, "postfix/qmgr[60]: " p ": removed")
		if (i % 2 == 0)
			L(t + 5, "postfix/smtp[80]: " c ": to=<r1." i \
			    "@remote.example>, relay=mx.remote.example" \
			    "[203.0.113.5]:25, delay=3, delays=1/0/0/2," \
			    " dsn=5.7.1, status=bounced (host" \
			    " mx.remote.example[203.0.113.5] said: 550" \
			    " 5.7.1 Message rejected as spam (in reply to" \
			    " end of DATA command))")
		else if (i % 5 == 0) {
			L(t + 5, "postfix/smtp[80]: " c ": to=<r1." i \
			    "@remote.example>, relay=mx.remote.example" \
			    "[203.0.113.5]:25, delay=3, delays=1/0/0/2," \
			    " dsn=4.7.0, status=deferred (host" \
			    " mx.remote.example[203.0.113.5] said: 421" \
			    " 4.7.0 Try again later," \
			    " rate limited (in reply to MAIL FROM command))")
			L(t + 40, "postfix/qmgr[60]: " c ": from=<" u \
			    "@isp.example>, size=1500, nrcpt=2 (queue active)")
			L(t + 41, "postfix/smtp[80]: " c ": to=<r1." i \
			    "@remote.example>, relay=mx.remote.example" \
			    "[203.0.113.5]:25, delay=41, delays=40/0/0/1," \
			    " dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as" \
			    " 9F" i "E0)")
		} else
			L(t + 5, "postfix/smtp[80]: " c ": to=<r1." i \
			    "@remote.example>, relay=mx.remote.example" \
			    "[203.0.113.5]:25, delay=3, delays=1/0/0/2," \
			    " dsn=2.0.0, status=sent (250 ok)")
		L(t + 6, "postfix/smtp[80]: " c ": to=<r2." i \
		    "@remote.example>, relay=mx.remote.example" \
		    "[203.0.113.5]:25, delay=4, delays=1/0/0/3, dsn=2.0.0," \
		    " status=sent (250 ok)")
		L(t + (i % 5 == 0 ? 42 : 6), "postfix/qmgr[60]: " c ": removed")
	}
}
function L(t, text) {
	printf "%06d %s\n", t, text
}
