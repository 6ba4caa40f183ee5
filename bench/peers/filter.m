-- The filter lock (generalised Peterson) for N processes, written by hand
-- for Rumur (Murphi): the peer of bench/models/filter.weft (not generated
-- by `weft export`).
--
--   rumur --threads 1 --deadlock-detection stuck filter.m -o filter.c
--   cc -O3 -mcx16 -o filter filter.c -lpthread && ./filter
--
-- The size is the constant N below; Murphi has no preprocessor, so
-- bench/rumur.ts rewrites that line.
--
-- Why Rumur counts exactly Weft's states: the state is Weft's level[N],
-- victim[N], the history counters in_cs and at_top_waiting, and a position
-- per process. Weft unrolls the loop over the levels, so its pc names the
-- level; here the position is an enum pc and the level being climbed lv[p],
-- and the pair takes as many values as Weft's pc: (set_level, set_victim or
-- wait; lv = L) for L in 1..N-1, then (enter or unlock; lv = N - 1, the top
-- level, left as it was). Each of Weft's steps is one rule of the ruleset;
-- `wait` either climbs (lv + 1) or goes to enter, in one rule, as in Weft.
--
-- Properties: mutual_exclusion is an Invariant; deadlock is Rumur's "stuck"
-- deadlock (no rule enabled), Weft's, since no process ever finishes.
-- Weft's reachable targets crowded and two_at_top are cover properties:
-- hit is Weft's `reached`, "not hit" (an error to Rumur) its `unreachable`.
const
  N: 3;

type
  proc_t: 0..N-1;
  level_t: 0..N-1;
  climb_t: 1..N-1;
  pc_t: enum { set_level, set_victim, wait, enter, unlock };

var
  level: array [proc_t] of level_t;   -- level[i]: the highest level process i wants
  victim: array [level_t] of proc_t;  -- victim[L]: the last process to arrive at L (victim[0] unused)
  in_cs: 0..N;                        -- history: processes in the critical section
  at_top_waiting: 0..N;               -- history: processes waiting at level N - 1
  pc: array [proc_t] of pc_t;
  lv: array [proc_t] of climb_t;      -- the level process p is climbing

startstate "init"
begin
  for p: proc_t do
    level[p] := 0;
    victim[p] := 0;
    pc[p] := set_level;
    lv[p] := 1;
  endfor;
  in_cs := 0;
  at_top_waiting := 0;
end;

ruleset p: proc_t do
  rule "set_level" pc[p] = set_level ==>
  begin
    level[p] := lv[p];
    pc[p] := set_victim;
  end;

  rule "set_victim" pc[p] = set_victim ==>
  begin
    victim[lv[p]] := p;
    if lv[p] = N - 1 then at_top_waiting := at_top_waiting + 1; endif;
    pc[p] := wait;
  end;

  -- Wait while someone else is at my level or higher and I am the victim.
  rule "wait" pc[p] = wait
    & ((forall k: proc_t do k = p | level[k] < lv[p] endforall) | victim[lv[p]] != p) ==>
  begin
    if lv[p] = N - 1 then
      at_top_waiting := at_top_waiting - 1;
      pc[p] := enter;
    else
      lv[p] := lv[p] + 1;
      pc[p] := set_level;
    endif;
  end;

  rule "enter" pc[p] = enter ==>
  begin
    in_cs := in_cs + 1;
    pc[p] := unlock;
  end;

  -- ... critical section ...

  rule "unlock" pc[p] = unlock ==>
  begin
    in_cs := in_cs - 1;
    level[p] := 0;
    lv[p] := 1;
    pc[p] := set_level;
  end;
end;

invariant "mutual_exclusion" in_cs <= 1;

-- One process waits at the top level while another is in the critical
-- section and every process is climbing; two wait at the top.
cover "reached crowded" in_cs = 1 & at_top_waiting = 1 & (forall k: proc_t do level[k] >= 1 endforall);
cover "reached two_at_top" at_top_waiting = 2;
