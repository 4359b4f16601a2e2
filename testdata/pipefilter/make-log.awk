# A Postfix relay with a pipe(8) content filter that submits each
# message again through sendmail(1) (see README).
BEGIN {
	for (i = 1; i <= 16; i++)
		message(i, 36000 + 3 * i)
	# mail of the relay's own cron: submitted locally, no copy of any
	L(36100, "postfix/pickup[90]: 5E00000001: uid=0 from=<root>")
	L(36100, "postfix/cleanup[50]: 5E00000001: message-id=" \
	    "<cron.1@relay1.isp.example>")
	L(36100, "postfix/qmgr[60]: 5E00000001: from=<root@relay1.isp" \
	    ".example>, size=700, nrcpt=1 (queue active)")
	L(36101, "postfix/local[95]: 5E00000001: to=<root@relay1.isp" \
	    ".example>, relay=local, delay=1, delays=0/0/0/1, dsn=2.0.0," \
	    " status=sent (delivered to mailbox)")
	L(36101, "postfix/qmgr[60]: 5E00000001: removed")
}
# message - the i-th message, from time t, and its copies
function message(i, t,    p, u, s, who, n, done, k, b, r, c, w) {
	p = sprintf("3C%08X", i)
	u = i % 4 == 3 ? "info" : "user" (i % 3)
	s = i == 15 ? "other" : u	# the filter's -f
	if (i % 4 == 3)
		who = "client=dsl-" i ".isp.example[198.18.0." i "]"
	else
		who = "client=dsl-" i ".isp.example[198.18.0." i "]," \
		    " sasl_method=PLAIN, sasl_username=" u
	L(t, "postfix/submission/smtpd[" (1000 + i) "]: " p ": " who)
	L(t, "postfix/cleanup[50]: " p ": message-id=<" i "@pc>")
	L(t + 1, "postfix/qmgr[60]: " p ": from=<" u "@isp.example>," \
	    " size=1000, nrcpt=2 (queue active)")
	# i % 3 == 0: the filter runs once per recipient, one copy each;
	# else once for both, one copy
	n = i % 3 == 0 ? 2 : 1
	done = t + 2 + 2 * n
	for (k = 1; k <= n; k++) {
		c[k] = sprintf("4D%08X", 10 * i + k)
		# when the copy is submitted: 0 before the delivery to the
		# filter is logged, 1 after it, 2 its pickup line before
		# and its Message-ID after, 3 after the message's
		# "removed" (too late: not joined)
		w[k] = i == 16 ? 3 : (i + k) % 4
		b = t + 2 + 2 * (k - 1)
		if (w[k] == 0 || w[k] == 2)
			pickup(b, c[k], s)
		if (w[k] == 0)
			queued(b, c[k], i, s, n)
		for (r = 1; r <= 2; r++)
			if (n == 1 || r == k)
				to_filter(b + 1, p, r, i)
		if (w[k] == 1)
			pickup(b + 1, c[k], s)
		if (w[k] == 1 || w[k] == 2)
			queued(b + 1, c[k], i, s, n)
	}
	L(done, "postfix/qmgr[60]: " p ": removed")
	for (k = 1; k <= n; k++) {
		if (w[k] == 3) {
			pickup(done + 1, c[k], s)
			queued(done + 1, c[k], i, s, n)
		}
		for (r = 1; r <= 2; r++)
			if (n == 1 || r == k)
				to_remote(done, c[k], r, i)
		L(done + (i % 5 == 0 ? 51 : 4), "postfix/qmgr[60]: " c[k] \
		    ": removed")
	}
}
function pickup(t, id, s) {
	L(t, "postfix/pickup[90]: " id ": uid=1001 from=<" s "@isp.example>")
}
function queued(t, id, i, s, n) {
	L(t, "postfix/cleanup[50]: " id ": message-id=<" i "@pc>")
	L(t, "postfix/qmgr[60]: " id ": from=<" s "@isp.example>," \
	    " size=1500, nrcpt=" (3 - n) " (queue active)")
}
# to_filter - recipient r of message p goes to the filter
function to_filter(t, p, r, i) {
	L(t, "postfix/pipe[70]: " p ": to=<r" r "." i "@remote.example>," \
	    " relay=spamfilter, delay=2, delays=1/0/0/1, dsn=2.0.0," \
	    " status=sent (delivered via spamfilter service)")
}
# to_remote - what the remote server says to recipient r of copy c:
# the first recipient of every even message is refused as spam, of
# every fifth deferred and then taken
function to_remote(t, c, r, i,    head) {
	head = "postfix/smtp[80]: " c ": to=<r" r "." i "@remote.example>," \
	    " relay=mx.remote.example[203.0.113.5]:25, "
	if (i % 2 == 0 && r == 1)
		L(t + 3, head "delay=3, delays=1/0/0/2, dsn=5.7.1," \
		    " status=bounced (host mx.remote.example[203.0.113.5]" \
		    " said: 550 5.7.1 Message rejected as spam (in reply to" \
		    " end of DATA command))")
	else if (i % 5 == 0 && r == 1) {
		L(t + 3, head "delay=3, delays=1/0/0/2, dsn=4.7.0," \
		    " status=deferred (host mx.remote.example[203.0.113.5]" \
		    " said: 421 4.7.0 Try again later (in reply to MAIL FROM" \
		    " command))")
		L(t + 50, head "delay=50, delays=49/0/0/1, dsn=2.0.0," \
		    " status=sent (250 2.0.0 Ok: queued as 9F" i "E0)")
	} else
		L(t + 3, head "delay=3, delays=1/0/0/2, dsn=2.0.0," \
		    " status=sent (250 ok)")
}
function L(t, text) {
	printf "%06d %s\n", t, text
}
