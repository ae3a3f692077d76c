/*
 * The request path's slot state machine (iaa_crypto_request.c), with the
 * device and the portal write as steps of their own, checked with spin
 * (tools/model/check, make check-model).
 *
 * What is modelled: one dedicated wq with NSLOT descriptors (slots: 2 in
 * make check, which then shares them between requests and drains), used by
 * NREQ requests and by the drains of the fence; the device, a FIFO queue in
 * front of one engine; idxd's pending list and its wq interrupt thread; the
 * wq's poller, watchdog and recovery; and unbind. A request's first stage is
 * ended as its mode says (sync, async, async_irq); a later stage of
 * async_irq goes without an interrupt and is spun on by the thread that
 * ended the stage before, until its record comes or it is handed over to
 * the poller. Time is not modelled: a deadline that is armed may be found
 * past at any moment, every bounded wait may run out at any moment, and any
 * thread may be preempted for as long as it takes between two steps.
 *
 * Each statement of a proctype is one step of its thread. A read-modify-write
 * that the driver makes with one instruction (cmpxchg, a store) is one atomic
 * step here; a compare-and-exchange loop that retries on failure is one
 * atomic step that acts on the state it finds.
 *
 * The state word of a slot is st[] (the state) and gen[] (the use count, one
 * more at every FREE -> BUSY). A compare-and-exchange made on an earlier
 * reading compares both. The table of iaa_crypto_request.c, and where each
 * arrow is taken here:
 *
 *   FREE     -> BUSY      take_slot()                  submitter, fence, recovery
 *   BUSY     -> SUBMIT    launch()                     a first stage of async_irq
 *   SUBMIT   -> IRQ       launch(), cas                once the portal write returned
 *   SUBMIT   -> EARLY     IrqThread, cas               the stage completed before that
 *   EARLY    -> BUSY      launch()                     the submitter ends the stage itself
 *   SUBMIT   -> BUSY      launch()                     the portal write failed
 *   BUSY     -> POLLED    launch(), hand_over()        polled stage; hand-over of a
 *                                                      sync or a spun-on stage
 *   POLLED   -> BUSY      Poller, cas                  record written or deadline past
 *                         Helper, cas                  record written
 *   IRQ      -> BUSY      IrqThread, cas
 *   IRQ      -> HELD      Watchdog, cas                deadline past
 *   HELD     -> RETURNED  IrqThread, cas               late
 *   HELD     -> ORPHAN    release(), cas               the request's end
 *   ORPHAN   -> FREE      IrqThread, cas               late
 *   BUSY, RETURNED -> FREE  release()                  the request's end
 *   BUSY     -> LOST      release(), fence()           a timeout whose drain did not complete
 *   LOST     -> FREE      Recovery                     a drain submitted after it completed
 *
 * Properties (each an assertion on a variable named for it, so that pan's
 * report names the property):
 *   P1  no DMA write of a descriptor lands in a destination after its request
 *       ended (its caller has the memory back); a stopped device writes
 *       nothing, so a request ended after the stop is safe;
 *   P2  every request ends exactly once, and at most one thread at a time
 *       owns a request (may end it);
 *   P3  a slot goes FREE only when its descriptor is neither on the device
 *       nor on idxd's pending list; a slot goes ORPHAN only while idxd still
 *       holds its descriptor (it will hand it back); at unbind every
 *       descriptor goes back to idxd exactly once, by the driver or by
 *       idxd's flush of its pending list;
 *   P4  a stage whose record was written before a thread took its slot is
 *       never ended as a timeout;
 *   and no invalid end state: every request ends and unbind completes, even
 *   when the device hangs (the fence then stops its DMA, the recovery resets
 *   it).
 *
 * Variants, each a way the protocol was or could be wrong, for which spin
 * must find the violation:
 *   OLD_PUBLISH_ORDER  the deadline armed and the slot published as POLLED
 *                      or IRQ before the portal write (P1);
 *   NO_RECHECK         the record not read again after the poller's or the
 *                      watchdog's compare-and-exchange (P4);
 *   NO_EARLY           the interrupt hook ignores a slot in SUBMIT, as the
 *                      old hook ignored BUSY: the completion is lost and the
 *                      descriptor with it (P3).
 */

#ifndef NREQ
#define NREQ	2
#endif
#ifndef NSLOT
#define NSLOT	3
#endif
/* How many times the device may hang (until a reset) */
#ifndef HANGS
#define HANGS	1
#endif

/* The use count wraps here: at least as many uses as a thread can miss */
#ifndef GENS
#define GENS	4
#endif

#define NONE	255

/* The slot states: enum iaa_slot_state */
#define FREE		0
#define BUSY		1
#define SUBMIT		2
#define EARLY		3
#define POLLED		4
#define IRQ		5
#define HELD		6
#define RETURNED	7
#define ORPHAN		8
#define LOST		9

/* A request's mode: sync (polled by its submitter), async, async_irq */
#define M_SYNC	0
#define M_POLL	1
#define M_IRQ	2

/*
 * How the stage of r being submitted is ended: a first stage of async_irq
 * asks for an interrupt (SUBMIT, then IRQ or EARLY); a later one asks for
 * none (r->spin_stage) and stays BUSY, spun on by the thread that submits
 * it as a sync stage is polled by its submitter; an async stage goes to the
 * poller (POLLED). A request handed over is async from then on.
 */
#define IRQ_STAGE(r)	(mode[r] == M_IRQ && stage[r] == 1)
#define SPIN_STAGE(r)	(mode[r] == M_IRQ && stage[r] > 1)
#define INLINE_STAGE(r)	(mode[r] == M_SYNC || SPIN_STAGE(r))

/* What launch() left: the stage is someone else's now, ended from the
 * record at once (EARLY), to be polled or spun on inline, or not submitted */
#define L_PUB		0
#define L_EARLY		1
#define L_INLINE	2
#define L_FAIL		3

/* --- The slots: the state word and the descriptor's progress ---------- */
byte st[NSLOT];
byte gen[NSLOT];
byte slot_req[NSLOT];	/* slot->req: the request, NONE for a drain */
bool armed[NSLOT];	/* slot->deadline_ns set for this stage */
bool rec[NSLOT];	/* the completion record is written */
bool indev[NSLOT];	/* in the device: queued or running */
bool onlist[NSLOT];	/* on idxd's pending list (asked for an interrupt) */
bool inirq[NSLOT];	/* taken off that list, in the interrupt thread's hands */

/* --- The requests ------------------------------------------------------ */
byte mode[NREQ];
byte nst[NREQ];		/* stages: 2 for a verify or a dynamic compress */
byte stage[NREQ];
byte own[NREQ];		/* threads that believe they may end the request */
byte ended[NREQ];
bool reused[NREQ];	/* the caller has its memory back */
bool rec_taken[NREQ];	/* the record was written when the slot was taken */
byte nended;

/* --- The device --------------------------------------------------------- */
chan devq = [NSLOT + 2] of { byte, byte };	/* slot, request whose dst it writes */
byte eng = NONE;	/* the slot the engine runs */
byte engr = NONE;
bool landed;		/* its DMA write landed */
bool hung;
byte hangs = HANGS;
bool dma_on = true;	/* bus mastering */

/* --- The wq's threads --------------------------------------------------- */
bool irq_on = true;	/* the wq's interrupt is requested (until free_irq) */
bool irq_busy;		/* the interrupt thread is in the hook */
bool rbusy;		/* the recovery holds a pin (a drain in flight) */
bool retired;		/* unbind: every request ended, the works cancelled */
bool unbound;
byte ours[NSLOT];	/* descriptors the driver gave back (idxd_free_desc) */
byte theirs[NSLOT];	/* descriptors idxd freed itself (flush) */

/* --- The properties, named ---------------------------------------------- */
bool dma_write_lands_after_request_end;		/* P1 */
bool request_ends_twice;			/* P2 */
bool two_owners;				/* P2 */
bool free_slot_still_on_device_or_list;		/* P3 */
bool orphan_slot_not_held_by_idxd;		/* P3 */
bool descriptor_not_returned_exactly_once;	/* P3 */
bool record_written_before_take_ended_as_timeout;	/* P4 */

/*
 * An assertion of property n on a variable named for it. tools/model/check
 * runs each broken variant with -DCHECK_ONLY=n, the property it must break,
 * so that the first violation spin reports is that one.
 */
#ifndef CHECK_ONLY
#define CHECK_ONLY	0
#endif
#define CHECK(n, v)	assert(!(v) || (CHECK_ONLY != 0 && CHECK_ONLY != (n)))

/* Some slot is in state @x */
#if NSLOT > 2
#define ANY(x)	(st[0] == (x) || st[1] == (x) || st[2] == (x))
#else
#define ANY(x)	(st[0] == (x) || st[1] == (x))
#endif

#define FREE_CHECK(s)							\
	free_slot_still_on_device_or_list = indev[s] || onlist[s];	\
	CHECK(3, free_slot_still_on_device_or_list)

#define OWN(r)								\
	own[r]++;							\
	two_owners = own[r] > 1;					\
	CHECK(2, two_owners)

/*
 * iaa_slot_get(): the first free slot, FREE -> BUSY with a new use; s is
 * NSLOT when every slot is in use. The record of the new use is cleared
 * by whoever formats the descriptor.
 */
inline take_slot(s, r)
{
	s = 0;
	do
	:: s < NSLOT && st[s] != FREE -> s++
	:: else -> break
	od;
	if
	:: s < NSLOT ->
		st[s] = BUSY;
		gen[s] = (gen[s] + 1) % GENS;
		slot_req[s] = r;
		armed[s] = false
	:: else -> skip
	fi
}

/*
 * The portal write of slot s for request r (NONE: a drain): MOVDIR64B puts
 * the descriptor in the wq, behind everything already there.
 */
inline portal_write(s, r)
{
	d_step {
		devq!s,r;
		indev[s] = true
	}
}

/*
 * The fence of iaa_crypto_fence.c, by the thread ending a timed-out stage:
 * a Drain descriptor on another slot behind everything in the device's
 * queue. Its record says that everything ahead finished and its writes
 * landed. If no slot is free, or the record does not come in time, the DMA
 * is stopped (bus mastering off, read back) before going on.
 */
inline fence()
{
	drained = false;
	atomic {
		take_slot(d, NONE);
		if
		:: d < NSLOT -> rec[d] = false
		:: else -> skip
		fi
	}
	if
	:: d < NSLOT ->
		portal_write(d, NONE);
		if
		:: rec[d] ->
			drained = true;
			d_step {
				FREE_CHECK(d);
				st[d] = FREE
			}
		:: true ->
			/* the wait ran out: its record may still come */
			st[d] = LOST
		fi
	:: else -> skip
	fi;
	if
	:: !drained -> dma_on = false
	:: else -> skip
	fi
}

/*
 * The request's end (iaa_req_release_hw() and iaa_req_finish()): the slot,
 * then the caller gets its memory back.
 */
inline release(r, s, fin, held)
{
	if
	:: held ->
		/* idxd hands the descriptor back later, or did meanwhile */
		atomic {
			if
			:: st[s] == HELD ->
				orphan_slot_not_held_by_idxd =
					!onlist[s] && !inirq[s];
				CHECK(3, orphan_slot_not_held_by_idxd);
				st[s] = ORPHAN
			:: else ->
				assert(st[s] == RETURNED);
				FREE_CHECK(s);
				st[s] = FREE
			fi
		}
	:: !held && !fin && !drained ->
		/* the device may still run it: never reused */
		st[s] = LOST
	:: else ->
		d_step {
			FREE_CHECK(s);
			st[s] = FREE
		}
	fi;
	d_step {
		request_ends_twice = ended[r] != 0;
		CHECK(2, request_ends_twice);
		ended[r] = 1;
		nended++;
		own[r]--;
		reused[r] = true
	}
}

/*
 * iaa_req_launch(): submit the current stage of r on slot s, which r's
 * thread has in BUSY. canfail: the portal write may fail (idxd_submit_desc()
 * refuses before it adds the descriptor to its list). Leaves lres.
 */
inline launch(r, s, canfail)
{
	/* iaa_desc_build(): the descriptor, a cleared record, no deadline */
	d_step {
		rec[s] = false;
		armed[s] = false;
		failed = false
	}
#ifdef OLD_PUBLISH_ORDER
	/* d449c55: deadline and publish first, then the portal write */
	if
	:: !INLINE_STAGE(r) ->
		d_step {
			armed[s] = true;
			own[r]--;
			pubgen = gen[s];
			if
			:: IRQ_STAGE(r) -> st[s] = IRQ
			:: else -> st[s] = POLLED
			fi
		}
	:: else -> skip
	fi;
#else
	if
	:: IRQ_STAGE(r) -> st[s] = SUBMIT
	:: else -> skip
	fi;
#endif
	/* idxd_submit_desc(): its list first, then the portal write */
	if
	:: canfail -> failed = true
	:: true ->
		if
		:: IRQ_STAGE(r) -> onlist[s] = true
		:: else -> skip
		fi;
		portal_write(s, r)
	fi;
#ifdef OLD_PUBLISH_ORDER
	if
	:: failed && !INLINE_STAGE(r) ->
		/* take it back, unless a timeout took it first */
		atomic {
			if
			:: (st[s] == POLLED || st[s] == IRQ) && gen[s] == pubgen ->
				st[s] = BUSY;
				OWN(r);
				lres = L_FAIL
			:: else -> lres = L_PUB
			fi
		}
	:: failed && INLINE_STAGE(r) -> lres = L_FAIL
	:: !failed && INLINE_STAGE(r) -> lres = L_INLINE
	:: !failed && !INLINE_STAGE(r) -> lres = L_PUB
	fi
#else
	if
	:: failed ->
		/* never on the device nor on idxd's list: SUBMIT -> BUSY */
		st[s] = BUSY;
		lres = L_FAIL
	:: !failed && INLINE_STAGE(r) -> lres = L_INLINE
	:: !failed && !INLINE_STAGE(r) ->
		/* the portal write returned (wmb): the deadline, then publish */
		armed[s] = true;
		if
		:: mode[r] == M_POLL ->
			d_step {
				own[r]--;
				st[s] = POLLED
			};
			lres = L_PUB
		:: IRQ_STAGE(r) ->
			atomic {
				if
				:: st[s] == SUBMIT ->
					own[r]--;
					st[s] = IRQ;
					lres = L_PUB
				:: else ->
					/* completed already: ours to end */
					assert(st[s] == EARLY);
					st[s] = BUSY;
					lres = L_EARLY
				fi
			}
		fi
	fi
#endif
}

/*
 * iaa_req_hand_over(): the stage of r on s, BUSY for this thread, goes to
 * the poller with a deadline; r is async from then on.
 */
inline hand_over(r, s)
{
	armed[s] = true;
	d_step {
		mode[r] = M_POLL;
		own[r]--;
		st[s] = POLLED
	};
	lres = L_PUB
}

/*
 * A sync stage polled by its submitter: the record, a wait that runs out (a
 * last look at the record, then a timeout), or a hand-over to the poller.
 */
inline poll_inline(r, s)
{
	if
	:: rec[s] -> fin = true
	:: true -> fin = rec[s]
	:: true -> hand_over(r, s)
	fi
}

/*
 * iaa_req_spin_stage(): a later stage of async_irq spun on by the thread
 * that submitted it: the record, or a bound that runs out (a last look at
 * the record, which may come right after it), then a hand-over to the
 * poller. Never a timeout here: the stage's deadline is the poller's.
 */
inline spin_stage(r, s)
{
	if
	:: rec[s] -> fin = true
	:: true -> hand_over(r, s)
	fi
}

/*
 * iaa_req_settle(): end the stage of r on s that this thread took (BUSY,
 * or HELD from the watchdog): fin, its record is written; held, idxd still
 * had the descriptor. A timeout is fenced. A later stage goes on the same
 * descriptor: polled here in sync mode, spun on here in async_irq mode (by
 * idxd's interrupt thread, or by the submitter after EARLY), published to
 * the poller in async mode; one after a missed interrupt is done in
 * software.
 */
inline finish(r, s, fin, held)
{
	do
	:: true ->
		if
		:: !fin ->
			record_written_before_take_ended_as_timeout =
				rec_taken[r];
			CHECK(4, record_written_before_take_ended_as_timeout);
			fence()
		:: else -> drained = true
		fi;
		if
		:: fin && !held && stage[r] < nst[r] ->
			stage[r]++;
			rec_taken[r] = false;
			launch(r, s, false);
			/* no later stage asks for an interrupt: never EARLY */
			if
			:: lres == L_PUB -> break
			:: lres == L_INLINE ->
				if
				:: SPIN_STAGE(r) -> spin_stage(r, s)
				:: else -> poll_inline(r, s)
				fi;
				if
				:: lres == L_PUB -> break
				:: else -> skip
				fi
			fi
		:: else ->
			release(r, s, fin, held);
			break
		fi
	od
}

/*
 * The caller: iaa_req_execute(). Takes a slot (or runs in software when
 * none is free), submits the first stage, and in sync mode polls it.
 */
proctype Submitter(byte r)
{
	byte s, d, lres, pubgen;
	bool fin, drained, failed;

	atomic {
		take_slot(s, r);
		if
		:: s < NSLOT -> OWN(r)
		:: else -> skip
		fi
	}
	if
	:: s == NSLOT ->
		/* no free descriptor: software, at once */
		d_step {
			ended[r] = 1;
			nended++;
			reused[r] = true
		}
	:: else ->
		stage[r] = 1;
		launch(r, s, true);
		if
		:: lres == L_PUB -> skip
		:: lres == L_FAIL ->
			/* in software: the request ends with its result */
			fin = true;
			drained = true;
			release(r, s, fin, false)
		:: lres == L_EARLY ->
			fin = true;
			finish(r, s, fin, false)
		:: lres == L_INLINE ->
			poll_inline(r, s);
			if
			:: lres == L_PUB -> skip
			:: else -> finish(r, s, fin, false)
			fi
		fi
	fi
}

/*
 * The device: a FIFO queue in front of one engine. A descriptor is taken
 * from the queue (running), its DMA write lands in the destination, then
 * its record is written; a drain writes only its record. A hung engine
 * does nothing more until a reset, a device without bus mastering writes
 * no memory.
 */
proctype Device()
{
end_idle:
	do
	:: atomic {
		eng == NONE && nempty(devq) -> devq?eng,engr
	   }
	:: atomic {
		eng != NONE && dma_on && !hung && engr != NONE && !landed ->
		dma_write_lands_after_request_end = reused[engr];
		CHECK(1, dma_write_lands_after_request_end);
		landed = true
	   }
	:: atomic {
		eng != NONE && dma_on && !hung && (landed || engr == NONE) ->
		rec[eng] = true;
		indev[eng] = false;
		eng = NONE;
		landed = false
	   }
	:: atomic {
		eng != NONE && !hung && hangs > 0 ->
		hung = true;
		hangs--
	   }
	od
}

/*
 * idxd's wq interrupt thread: a descriptor on its pending list whose record
 * is written is taken off the list, then iaa_irq_desc_complete() runs for
 * it (a compare-and-exchange loop, one step here).
 */
proctype IrqThread()
{
	byte s, r, d, lres, pubgen;
	bool fin, drained, failed, held, took;

end_wait:
	do
	:: atomic {
		if
		:: irq_on && onlist[0] && rec[0] -> s = 0
		:: irq_on && onlist[1] && rec[1] -> s = 1
#if NSLOT > 2
		:: irq_on && onlist[2] && rec[2] -> s = 2
#endif
		fi;
		onlist[s] = false;
		inirq[s] = true;
		irq_busy = true
	   }
		atomic {
			took = false;
			if
			:: st[s] == IRQ ->
				st[s] = BUSY;
				r = slot_req[s];
				OWN(r);
				rec_taken[r] = rec[s];
				took = true
#ifndef NO_EARLY
			:: st[s] == SUBMIT -> st[s] = EARLY
#endif
			:: st[s] == HELD -> st[s] = RETURNED
			:: st[s] == ORPHAN ->
				FREE_CHECK(s);
				st[s] = FREE
			:: else -> skip
			fi;
			inirq[s] = false
		}
		if
		:: took ->
			fin = true;
			held = false;
			finish(r, s, fin, held)
		:: else -> skip
		fi;
		irq_busy = false
	od
}

/*
 * The wq's poller, iaa_queue_scan(POLLED): reads a slot's state, then its
 * record and its deadline; takes it if either says so, then reads the
 * record again to end the stage as completed or as timed out.
 */
proctype Poller()
{
	byte s, r, d, lres, pubgen, wg;
	bool fin, drained, failed, took;

end_scan:
	do
	:: atomic {
		if
		:: !retired && st[0] == POLLED -> s = 0
		:: !retired && st[1] == POLLED -> s = 1
#if NSLOT > 2
		:: !retired && st[2] == POLLED -> s = 2
#endif
		fi;
		wg = gen[s]
	   }
		fin = rec[s];
		if
		:: fin -> took = true
		:: armed[s] -> took = true	/* deadline past */
		:: true -> took = false		/* neither, yet */
		fi;
		if
		:: took ->
			atomic {
				if
				:: st[s] == POLLED && gen[s] == wg ->
					st[s] = BUSY;
					r = slot_req[s];
					OWN(r);
					rec_taken[r] = rec[s]
				:: else -> took = false
				fi
			}
		:: else -> skip
		fi;
		if
		:: took ->
#ifndef NO_RECHECK
			fin = rec[s];
#endif
			finish(r, s, fin, false)
		:: else -> skip
		fi
	od
}

/*
 * The submitter of a batch's last request, while it polls its own stage
 * (iaa_queue_help()): takes a slot in POLLED whose record is written, as
 * the poller does, never one past its deadline. Run as a thread of its own,
 * it may take any such slot at any moment, which covers what a submitter
 * between two checks of its own record does.
 */
proctype Helper()
{
	byte s, r, d, lres, pubgen, wg;
	bool fin, drained, failed, took;

end_help:
	do
	:: atomic {
		if
		:: !retired && st[0] == POLLED && rec[0] -> s = 0
		:: !retired && st[1] == POLLED && rec[1] -> s = 1
#if NSLOT > 2
		:: !retired && st[2] == POLLED && rec[2] -> s = 2
#endif
		fi;
		wg = gen[s]
	   }
		fin = rec[s];
		took = fin;
		if
		:: took ->
			atomic {
				if
				:: st[s] == POLLED && gen[s] == wg ->
					st[s] = BUSY;
					r = slot_req[s];
					OWN(r);
					rec_taken[r] = rec[s]
				:: else -> took = false
				fi
			}
		:: else -> skip
		fi;
		if
		:: took ->
#ifndef NO_RECHECK
			fin = rec[s];
#endif
			finish(r, s, fin, false)
		:: else -> skip
		fi
	od
}

/*
 * The wq's watchdog, iaa_queue_scan(IRQ): a slot in IRQ past its deadline
 * is taken (HELD: idxd still has the descriptor), then its record is read
 * again: written, the interrupt was missed and the stage completed;
 * otherwise a timeout.
 */
proctype Watchdog()
{
	byte s, r, d, lres, pubgen, wg;
	bool fin, drained, failed, held, took;

end_scan:
	do
	:: atomic {
		if
		:: !retired && st[0] == IRQ && armed[0] -> s = 0
		:: !retired && st[1] == IRQ && armed[1] -> s = 1
#if NSLOT > 2
		:: !retired && st[2] == IRQ && armed[2] -> s = 2
#endif
		fi;
		wg = gen[s]
	   }
		/* past its deadline */
		fin = rec[s];
		atomic {
			took = false;
			if
			:: st[s] == IRQ && gen[s] == wg ->
				st[s] = HELD;
				r = slot_req[s];
				OWN(r);
				rec_taken[r] = rec[s];
				took = true
			:: else -> skip
			fi
		}
		if
		:: took ->
#ifndef NO_RECHECK
			fin = rec[s];
#endif
			held = true;
			finish(r, s, fin, held)
		:: else -> skip
		fi
	od
}

/*
 * The wq's recovery. A stopped device is reset (FLR: the engine and its
 * queue are abandoned, nothing of them lands) and bus mastering goes back
 * on. A drain submitted after slots went LOST and completed says that
 * their descriptors are no longer on the device: LOST -> FREE.
 */
proctype Recovery()
{
	byte d, i, t1, t2;
	byte lostmask;

end_wait:
	do
	:: d_step {
		!dma_on ->
		do
		:: nempty(devq) -> devq?t1,t2; indev[t1] = false
		:: empty(devq) -> break
		od;
		if
		:: eng != NONE -> indev[eng] = false
		:: else -> skip
		fi;
		eng = NONE;
		landed = false;
		hung = false;
		dma_on = true
	   }
	:: atomic {
		!retired && ANY(LOST) && ANY(FREE) ->
		take_slot(d, NONE);
		rec[d] = false;
		rbusy = true;
		lostmask = 0;
		i = 0;
		do
		:: i < NSLOT ->
			if
			:: st[i] == LOST -> lostmask = lostmask | (1 << i)
			:: else -> skip
			fi;
			i++
		:: else -> break
		od
	   }
		portal_write(d, NONE);
		if
		:: rec[d] ->
			d_step {
				i = 0;
				do
				:: i < NSLOT ->
					if
					:: (lostmask & (1 << i)) && st[i] == LOST ->
						FREE_CHECK(i);
						st[i] = FREE
					:: else -> skip
					fi;
					i++
				:: else -> break
				od;
				FREE_CHECK(d);
				st[d] = FREE
			}
		:: true -> st[d] = LOST
		fi;
		rbusy = false
	od
}

/*
 * Unbind, iaa_queue_retire(): waits until every request ended (percpu_ref)
 * and the recovery let go, cancels the works, stops the wq's interrupt
 * (the thread cannot run the hook between the give-back and idxd's flush),
 * gives back every descriptor but those in ORPHAN, then idxd disables the
 * wq and frees what is still on its pending list. idxd 6.12 disables the wq
 * (a drain whose completions still run the hook) before free_irq(): a hook
 * that moved an ORPHAN slot to FREE after the give-back would leave its
 * descriptor returned by nobody. The driver does not stop the interrupt
 * first, since that costs nothing there: idxd_wq_free_resources() frees the
 * wq's whole pool right after. The model stops it, so that it can check
 * that every descriptor goes back exactly once everywhere else.
 */
proctype Unbind()
{
	byte i;

	atomic {
		nended == NREQ && !rbusy -> retired = true
	}
	atomic {
		!irq_busy -> irq_on = false
	}
	i = 0;
	do
	:: i < NSLOT ->
		if
		:: st[i] != ORPHAN -> ours[i]++
		:: else -> skip
		fi;
		i++
	:: else -> break
	od;
	/* idxd_drv_disable_wq(): its flush frees what is on its list */
	i = 0;
	d_step {
		do
		:: i < NSLOT ->
			if
			:: onlist[i] ->
				onlist[i] = false;
				theirs[i]++
			:: else -> skip
			fi;
			i++
		:: else -> break
		od
	}
	d_step {
		i = 0;
		do
		:: i < NSLOT ->
			descriptor_not_returned_exactly_once =
				ours[i] + theirs[i] != 1;
			CHECK(3, descriptor_not_returned_exactly_once);
			i++
		:: else -> break
		od
	}
	unbound = true
}

init
{
	byte r;

	atomic {
		r = 0;
		do
		:: r < NREQ ->
			if
			:: mode[r] = M_SYNC
			:: mode[r] = M_POLL
			:: mode[r] = M_IRQ
			fi;
			if
			:: nst[r] = 1
			:: nst[r] = 2
			fi;
			r++
		:: else -> break
		od;
		run Device();
		run IrqThread();
		run Poller();
#ifndef NO_HELPER
		run Helper();
#endif
		run Watchdog();
		run Recovery();
		r = 0;
		do
		:: r < NREQ -> run Submitter(r); r++
		:: else -> break
		od;
		run Unbind()
	}
}
