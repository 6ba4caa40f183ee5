/*
 * peterson, variant peterson: exported by Weft from peterson.weft.
 * Options: turn_first = false, fair = "weak".
 *
 * Each Weft step is one atomic transition from the label of its pc to the
 * label of the next, so pan stores exactly the states Weft stores. Check with
 *   spin -a -o1 -o2 MODEL.pml && gcc -O2 -DSAFETY -DNOREDUCE -o pan pan.c && ./pan -N invariants -m1000000 -c0
 * (-o1 -o2: no dead-variable reduction, no hidden write-only variables) and,
 * for deadlocks (pan checks end states only when there is no never claim),
 *   gcc -O2 -DSAFETY -DNOREDUCE -DNOCLAIM -o pan pan.c && ./pan -m1000000 -c0
 * A violation prints "assertion violated FLAG" (see the flags below; for a
 * reachable_ flag it means the target was reached), a deadlock "invalid end
 * state". _pid is Weft's instance number.
 * Each liveness property is an ltl formula of the same name, a never claim
 * of its own: check each alone, for acceptance cycles,
 *   gcc -O2 -DNOREDUCE -o pan_ltl pan.c && ./pan_ltl -a -f -N NAME -m1000000
 * (-f: pan's weak fairness, for every process; every instance here is owed weak fairness).
 * "acceptance cycle" means violated. That is Weft's verdict while no step
 * fails ("assertion violated" in the same run): a failing step returns to its
 * own label, a move in pan but no transition in Weft.
 * See docs/promela.md.
 */

/* Properties: a failed check runs assert(FLAG) on one of these bytes, which are
   always 0 and not part of the state, so that SPIN's message names the property. */
hidden byte invariant_mutual_exclusion;
hidden byte reachable_both_waiting;
hidden byte reachable_one_inside;
hidden byte builtin_ranges;
hidden byte builtin_locking;

/* Shared variables. */
bool flag[2];                   /* flag[]: bool */
byte turn;                      /* turn: 0..1 */
byte in_cs;                     /* in_cs: 0..2 */
bool waiting[2];                /* waiting[]: bool */

/* What properties read of actor instances: pcs, and locals kept here instead of in the proctype. */
byte pc_proc[2];                /* the pc of proc[i]: equal to its label's number */

/* actor proc (peterson.weft:38): proc[0..1] are pids 0..1, self = _pid */
active [2] proctype proc() {
  bool old_waiting[2];          /* save area of waiting: 0 outside a step */

pc0:
  if
  :: /* announce: flag[self] = true;  peterson.weft:45 */
     atomic {
       flag[_pid] = true;
       pc_proc[_pid] = 1;
       goto pc1
     }
  fi;
pc1:
  if
  :: /* yield: atomic { turn = 1 - self; waiting[self] = true; }  peterson.weft:46 */
     atomic {
       turn = 1 - _pid;
       waiting[_pid] = true;
       pc_proc[_pid] = 2;
       goto pc2
     }
  fi;
pc2:
  if
  :: /* enter: atomic { await !flag[1 - self] || turn == self; w…  peterson.weft:49 */
     atomic {
       (!flag[1 - _pid] || turn == _pid) ->
       old_waiting[0] = waiting[0];
       old_waiting[1] = waiting[1];
       waiting[_pid] = false;
       if
       :: (in_cs + 1) > 2 -> assert(builtin_ranges); waiting[0] = old_waiting[0]; waiting[1] = old_waiting[1]; old_waiting[0] = 0; old_waiting[1] = 0; goto pc2
       :: else
       fi;
       in_cs = in_cs + 1;
       pc_proc[_pid] = 3;
       old_waiting[0] = 0;
       old_waiting[1] = 0;
       goto pc3
     }
  fi;
pc3:
  if
  :: /* release: atomic { in_cs -= 1; flag[self] = false; }  peterson.weft:51 */
     atomic {
       skip;
       if
       :: (in_cs - 1) < 0 -> assert(builtin_ranges); goto pc3
       :: else
       fi;
       in_cs = in_cs - 1;
       flag[_pid] = false;
       pc_proc[_pid] = 0;
       goto pc0
     }
  fi;
end_pc4:  /* finished */
  false
}

/* Invariants and reachable targets, checked in every state (the claim never changes state). */
never invariants {
  do
  :: d_step {
       /* invariant mutual_exclusion (peterson.weft:55) */
       if
       :: in_cs > 1 -> assert(invariant_mutual_exclusion)
       :: else
       fi;
       /* reachable both_waiting (peterson.weft:56) */
       if
       :: (waiting[0] && waiting[1]) -> assert(reachable_both_waiting)
       :: else
       fi;
       /* reachable one_inside (peterson.weft:57) */
       if
       :: (in_cs == 1) -> assert(reachable_one_inside)
       :: else
       fi;
     }
  od
}

/* Liveness properties: check each alone, ./pan -a -f -N NAME (see the header). */
/* liveness p0_enters: proc[0]@announce || proc[0]@yield ~> proc[0]@release;  peterson.weft:60 */
ltl p0_enters { [] (((pc_proc[0] == 0 || pc_proc[0] == 1) != 0) -> <> ((pc_proc[0] == 3) != 0)) }
/* liveness p1_enters: proc[1]@announce || proc[1]@yield ~> proc[1]@release;  peterson.weft:61 */
ltl p1_enters { [] (((pc_proc[1] == 0 || pc_proc[1] == 1) != 0) -> <> ((pc_proc[1] == 3) != 0)) }
