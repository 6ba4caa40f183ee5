/*
 * faults, variant default: exported by Weft from faults.weft.
 *
 * Each Weft step is one atomic transition from the label of its pc to the
 * label of the next, so pan stores exactly the states Weft stores. Check with
 *   spin -a -o1 -o2 MODEL.pml && gcc -O2 -DSAFETY -DNOREDUCE -o pan pan.c && ./pan -m1000000 -c0
 * (-o1 -o2: no dead-variable reduction, no hidden write-only variables) and,
 * for deadlocks (pan checks end states only when there is no never claim),
 *   gcc -O2 -DSAFETY -DNOREDUCE -DNOCLAIM -o pan pan.c && ./pan -m1000000 -c0
 * A violation prints "assertion violated FLAG" (see the flags below; for a
 * reachable_ flag it means the target was reached), a deadlock "invalid end
 * state". _pid is Weft's instance number. See docs/promela.md.
 */

/* Properties: a failed check runs assert(FLAG) on one of these bytes, which are
   always 0 and not part of the state, so that SPIN's message names the property. */
hidden byte invariant_small;
hidden byte reachable_all_hit;
hidden byte builtin_ranges;
hidden byte builtin_locking;

/* Shared variables. */
byte p_a;                       /* p.a: 0..3 */
short p_b = -1;                 /* p.b: -1..1 */
byte q_a = 1;                   /* q.a: 0..3 */
short q_b = -1;                 /* q.b: -1..1 */
byte xs_1[3];                   /* xs[]: 0..2 */
byte i;                         /* i: 0..4 */
int s;                          /* s: rwsem, 0 free, reader bit mask, or -(writer + 1) */
byte hits;                      /* hits: 0..3 */

/* actor stepper (faults.weft:14): pid 0 */
active proctype stepper() {
  byte k;                       /* k: 0..3 */
  byte old_p_a;                 /* save area of p_a: 0 outside a step */
  byte old_hits;                /* save area of hits: 0 outside a step */
  byte old_k;                   /* save area of k: 0 outside a step */

pc0:
  if
  :: /* atomic { p.a = 2; hits += 1; pick k in 0..3; xs…  faults.weft:17 */
     atomic {
       old_p_a = p_a;
       old_hits = hits;
       old_k = k;
       p_a = 2;
       if
       :: (hits + 1) > 3 -> assert(builtin_ranges); p_a = old_p_a; old_p_a = 0; old_hits = 0; old_k = 0; goto pc0
       :: else
       fi;
       hits = hits + 1;
       if
       :: k = 0
       :: k = 1
       :: k = 2
       :: k = 3
       fi;
       if
       :: !(k >= 0 && k < 3) -> assert(builtin_ranges); p_a = old_p_a; hits = old_hits; k = old_k; old_p_a = 0; old_hits = 0; old_k = 0; goto pc0
       :: else
       fi;
       xs_1[k] = 1;
       old_p_a = 0;
       old_hits = 0;
       old_k = 0;
       goto pc1
     }
  fi;
pc1:
  if
  :: /* p.b = 1  faults.weft:18 */
     atomic {
       p_b = 1;
       goto end_pc2
     }
  fi;
end_pc2:  /* finished */
  false
}

/* actor copier (faults.weft:21): pid 1 */
active proctype copier() {
  byte old_q_a;                 /* save area of q_a: 0 outside a step */
  short old_q_b;                /* save area of q_b: 0 outside a step */

pc0:
  if
  :: /* atomic { q = p; choose { q.a += 2; } or { q.b -…  faults.weft:23 */
     atomic {
       old_q_a = q_a;
       old_q_b = q_b;
       q_a = p_a;
       q_b = p_b;
       if
       ::
         skip;
         if
         :: (q_a + 2) > 3 -> assert(builtin_ranges); q_a = old_q_a; q_b = old_q_b; old_q_a = 0; old_q_b = 0; goto pc0
         :: else
         fi;
         q_a = q_a + 2;
       ::
         skip;
         if
         :: (q_b - 1) < -1 -> assert(builtin_ranges); q_a = old_q_a; q_b = old_q_b; old_q_a = 0; old_q_b = 0; goto pc0
         :: else
         fi;
         q_b = q_b - 1;
       ::
         skip
       fi;
       old_q_a = 0;
       old_q_b = 0;
       goto pc1
     }
  fi;
pc1:
  if
  :: /* await xs[i] == 0  faults.weft:24 */
     atomic {
       (i >= 0 && i < 3) && (xs_1[i] == 0) ->
       goto end_pc2
     }
  :: /* the guard of await xs[i] == 0 faults */
     atomic {
       !(i >= 0 && i < 3) ->
       assert(builtin_ranges);
       goto pc1
     }
  fi;
end_pc2:  /* finished */
  false
}

/* actor bumper (faults.weft:27): bumper[0..1] are pids 2..3, self = _pid - 2 */
active [2] proctype bumper() {
  byte d;                       /* d: 0..2 */
  byte old_i;                   /* save area of i: 0 outside a step */

pc0:
  if
  :: /* i += 1  faults.weft:29 */
     atomic {
       skip;
       if
       :: (i + 1) > 4 -> assert(builtin_ranges); goto pc0
       :: else
       fi;
       i = i + 1;
       goto pc1
     }
  fi;
pc1:
  if
  :: /* atomic { i += 1; d = 2 / (3 - i); }  faults.weft:30 */
     atomic {
       old_i = i;
       if
       :: (i + 1) > 4 -> assert(builtin_ranges); old_i = 0; goto pc1
       :: else
       fi;
       i = i + 1;
       if
       :: !((3 - i) != 0) -> assert(builtin_ranges); i = old_i; old_i = 0; goto pc1
       :: else
       fi;
       if
       :: (2 / (3 - i)) < 0 -> assert(builtin_ranges); i = old_i; old_i = 0; goto pc1
       :: else
       fi;
       d = 2 / (3 - i);
       old_i = 0;
       goto end_pc2
     }
  fi;
end_pc2:  /* finished */
  false
}

/* actor reader (faults.weft:33): reader[0..1] are pids 4..5, self = _pid - 4 */
active [2] proctype reader() {
pc0:
  if
  :: /* down_read(s)  faults.weft:34 */
     atomic {
       (s >= 0 || s == -(_pid + 1)) ->
       if
       :: s == -(_pid + 1) || (s > 0 && ((s >> _pid) & 1) == 1) -> assert(builtin_locking); goto pc0
       :: else
       fi;
       s = s + (1 << _pid);
       goto pc1
     }
  fi;
pc1:
  if
  :: /* hits += 1  faults.weft:35 */
     atomic {
       skip;
       if
       :: (hits + 1) > 3 -> assert(builtin_ranges); goto pc1
       :: else
       fi;
       hits = hits + 1;
       goto pc2
     }
  fi;
pc2:
  if
  :: /* up_read(s)  faults.weft:36 */
     atomic {
       skip;
       if
       :: !(s > 0 && ((s >> _pid) & 1) == 1) -> assert(builtin_locking); goto pc2
       :: else
       fi;
       s = s - (1 << _pid);
       goto end_pc3
     }
  :: /* down_write(s)  faults.weft:36 */
     atomic {
       (s == 0 || s == -(_pid + 1) || (s > 0 && ((s >> _pid) & 1) == 1)) ->
       if
       :: s == -(_pid + 1) || (s > 0 && ((s >> _pid) & 1) == 1) -> assert(builtin_locking); goto pc2
       :: else
       fi;
       s = -(_pid + 1);
       goto end_pc3
     }
  fi;
end_pc3:  /* finished */
  false
}

/* Invariants and reachable targets, checked in every state (the claim never changes state). */
never invariants {
  do
  :: d_step {
       /* invariant small (faults.weft:39) */
       if
       :: !(i >= 0 && i < 3) -> assert(builtin_ranges)
       :: (i >= 0 && i < 3) && (xs_1[i] >= 2) -> assert(invariant_small)
       :: else
       fi;
       /* reachable all_hit (faults.weft:40) */
       if
       :: (hits == 3) -> assert(reachable_all_hit)
       :: else
       fi;
     }
  od
}
