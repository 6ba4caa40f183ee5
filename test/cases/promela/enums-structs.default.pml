/*
 * enums-structs, variant default: exported by Weft from enums-structs.weft.
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

/* Enums: one byte each, members numbered from 0 as in Weft. */
#define Pte_none 0  /* enum Pte */
#define Pte_ro 1
#define Pte_rw 2

/* Properties: a failed check runs assert(FLAG) on one of these bytes, which are
   always 0 and not part of the state, so that SPIN's message names the property. */
hidden byte invariant_ro_never;
hidden byte reachable_dirty_zero;
hidden byte builtin_ranges;
hidden byte builtin_locking;

/* Shared variables. */
byte folios_lock[2];            /* folios[].lock: mutex, 0 free or holder + 1 */
bool folios_dirty[2];           /* folios[].dirty: bool */
byte folios_pins[2];            /* folios[].pins: 0..2 */
byte pte;                       /* pte: Pte */

/* actor toucher (enums-structs.weft:7): pid 0 */
active proctype toucher() {
pc0:
  if
  :: /* await pte == rw  enums-structs.weft:9 */
     atomic {
       (pte == Pte_rw) ->
       goto pc1
     }
  :: /* lock(folios[1].lock)  enums-structs.weft:12 */
     atomic {
       (folios_lock[1] == 0 || folios_lock[1] == _pid + 1) ->
       if
       :: folios_lock[1] == _pid + 1 -> assert(builtin_locking); goto pc0
       :: else
       fi;
       folios_lock[1] = _pid + 1;
       goto pc3
     }
  fi;
pc1:
  if
  :: /* folios[0].dirty = true  enums-structs.weft:10 */
     atomic {
       folios_dirty[0] = true;
       goto end_pc2
     }
  fi;
end_pc2:  /* finished */
  false;
pc3:
  if
  :: /* folios[1].pins += 1  enums-structs.weft:13 */
     atomic {
       skip;
       if
       :: (folios_pins[1] + 1) > 2 -> assert(builtin_ranges); goto pc3
       :: else
       fi;
       folios_pins[1] = folios_pins[1] + 1;
       goto pc4
     }
  fi;
pc4:
  if
  :: /* unlock(folios[1].lock)  enums-structs.weft:14 */
     atomic {
       skip;
       if
       :: folios_lock[1] != _pid + 1 -> assert(builtin_locking); goto pc4
       :: else
       fi;
       folios_lock[1] = 0;
       goto end_pc2
     }
  fi
}

/* actor mapper (enums-structs.weft:17): pid 1 */
active proctype mapper() {
pc0:
  if
  :: /* pte = rw  enums-structs.weft:17 */
     atomic {
       pte = Pte_rw;
       goto end_pc1
     }
  fi;
end_pc1:  /* finished */
  false
}

/* Invariants and reachable targets, checked in every state (the claim never changes state). */
never invariants {
  do
  :: d_step {
       /* invariant ro_never (enums-structs.weft:19) */
       if
       :: pte == Pte_ro -> assert(invariant_ro_never)
       :: else
       fi;
       /* reachable dirty_zero (enums-structs.weft:20) */
       if
       :: folios_dirty[0] -> assert(reachable_dirty_zero)
       :: else
       fi;
     }
  od
}
