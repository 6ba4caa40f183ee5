/**
 * The Linux-kernel memory model on one candidate execution: linux-kernel.cat,
 * with the sets of linux-kernel.bell and the rest of lock.cat, translated
 * line by line from the files herdtools7 7.57 ships (test/cases/litmus/lkmm/
 * holds them; each `let` below keeps its name there). A candidate is allowed
 * when every `acyclic`, `empty` and `irreflexive` check holds; `flag`s are
 * reported, not forbidding.
 *
 * What this translation leaves out: SRCU (its events are refused by the
 * front ends, so its sets are empty here).
 */
import { EventSet, Relation } from './relation.ts';
import type { Candidate } from './candidates.ts';
import type { FenceKind } from './program.ts';

/** The checks of the model, by the names the cat gives them. */
export type Axiom = 'coherence' | 'atomic' | 'happens-before' | 'propagation' | 'rcu' | 'plain-coherence' | 'lock-nest' | 'ConsCo';

export interface ModelResult {
  /** The checks that fail: the candidate is allowed when there are none. */
  readonly failed: readonly Axiom[];
  readonly flags: readonly string[];
  /** The relations an explanation names (hb, pb, rb, prop, ppo, ...). */
  readonly rel: Readonly<Record<string, Relation>>;
}

export function lkmm(c: Candidate): ModelResult {
  const s = c.skeleton;
  const n = s.n;
  const { po, loc, int, ext, addr, data, ctrl, rmw } = s;
  const { rf, co, fr } = c;
  const id = Relation.of(n, (i, j) => i === j);
  const I = (x: EventSet): Relation => Relation.identity(x);
  const all = EventSet.of(n, () => true);
  const kind = (...k: string[]): EventSet => s.set((e) => k.includes(e.kind));
  const annot = (a: string): EventSet => s.set((e) => e.annot === a);
  const fence = (k: FenceKind): EventSet => s.set((e) => e.kind === 'F' && e.annot === k);
  const fencerel = (b: EventSet): Relation => po.restrict(null, b).seq(po);

  // linux-kernel.bell, and the sets herd gives every model.
  const IW = s.set((e) => e.init);
  const F = kind('F');
  const LKR = kind('LKR'), LKW = kind('LKW'), UL = kind('UL'), RL = kind('RL'), RU = kind('RU');
  const LF = kind('LF').union(RL);
  const Once = annot('once'), Noreturn = annot('noreturn');
  const Acquire = annot('acquire').union(LKR);
  const Release = annot('release').union(UL);
  const RMW = s.set((e) => e.atomic);
  const R = kind('R', 'LKR', 'LF', 'RL', 'RU');
  const W = kind('W', 'LKW', 'UL');
  const M = R.union(W);
  const Marked = F.union(IW, Once, Release, Acquire, rmw.domain(), rmw.range(), LKR, LKW, UL, LF, RL, RU);
  const Plain = M.diff(Marked);
  const [Mb, Rmb, Wmb, Barrier] = [fence('mb'), fence('rmb'), fence('wmb'), fence('barrier')];
  const [BeforeAtomic, AfterAtomic, AfterSpinlock, AfterUnlockLock] = [fence('before-atomic'), fence('after-atomic'), fence('after-spinlock'), fence('after-unlock-lock')];
  const [RcuLock, RcuUnlock, SyncRcu] = [fence('rcu-lock'), fence('rcu-unlock'), fence('sync-rcu')];
  const rcuRscs = rcuCriticalSections(s.events.map((e) => e.kind === 'F' ? e.annot : null), s.events.map((e) => e.thread), n);
  const flags: string[] = [];
  if (!RcuLock.diff(rcuRscs.domain()).isEmpty() || !RcuUnlock.diff(rcuRscs.range()).isEmpty()) flags.push('unbalanced-rcu-locking');

  const poLoc = po.inter(loc);
  const rfe = rf.inter(ext), rfi = rf.inter(int);
  const coe = co.inter(ext);
  const fre = fr.inter(ext);
  const failed: Axiom[] = [];

  // lock.cat's checks and flags (the rf and co it builds are candidates.ts's).
  if (!Relation.seqAll(I(LKW), poLoc, I(LKR)).diff(Relation.seqAll(poLoc, I(UL), poLoc)).isEmpty()) failed.push('lock-nest');
  const ALL_LOCKS = LKR.union(LKW, UL, LF, RU);
  if (!Relation.seqAll(I(kind('R', 'W').diff(IW)), loc, I(ALL_LOCKS)).isEmpty()) flags.push('mixed-lock-accesses');
  if (!UL.diff(s.critical.range()).isEmpty()) flags.push('unmatched-unlock');

  // Basic relations.
  const acqPo = Relation.seqAll(I(Acquire), po, I(M));
  const poRel = Relation.seqAll(I(M), po, I(Release));
  const poUnlockRfLockPo = Relation.seqAll(po, I(UL), rf, I(LKR), po);
  const R4rmb = R.diff(Noreturn);
  const rmb = Relation.seqAll(I(R4rmb), fencerel(Rmb), I(R4rmb));
  const wmb = Relation.seqAll(I(W), fencerel(Wmb), I(W));
  const mb = Relation.seqAll(I(M), fencerel(Mb), I(M)).union(
    Relation.seqAll(I(M), fencerel(BeforeAtomic), I(RMW), po.opt(), I(M)),
    Relation.seqAll(I(M), po.opt(), I(RMW), fencerel(AfterAtomic), I(M)),
    Relation.seqAll(I(M), po.opt(), I(LKW), fencerel(AfterSpinlock), I(M)),
    Relation.seqAll(I(M), po, I(UL), co.union(po), I(LKW), fencerel(AfterUnlockLock), I(M)));
  const gp = Relation.seqAll(po, I(SyncRcu), po.opt());
  const strongFence0 = mb.union(gp);
  const nonrwFence = strongFence0.union(poRel, acqPo);
  const fence0 = nonrwFence.union(wmb, rmb);
  const barrier = fencerel(Barrier.union(Rmb, Wmb, Mb, SyncRcu, BeforeAtomic, AfterAtomic, Acquire, Release, RcuLock, RcuUnlock))
    .union(po.restrict(null, Release), po.restrict(Acquire, null));

  // Fundamental coherence ordering.
  const com = rf.union(co, fr);
  if (!poLoc.union(com).acyclic()) failed.push('coherence');
  if (!rmw.inter(fre.seq(coe)).isEmpty()) failed.push('atomic');

  // Instruction execution ordering.
  const dep = addr.union(data);
  const rwdep = dep.union(ctrl).restrict(null, W);
  const overwrite = co.union(fr);
  const toW = rwdep.union(overwrite.inter(int), Relation.seqAll(addr, I(Plain), wmb));
  const toR = addr.union(Relation.seqAll(dep, I(Marked), rfi));
  const ppo = toR.union(toW, fence0, poUnlockRfLockPo.inter(int));
  const aCumul = (r: Relation): Relation => rfe.restrict(null, Marked).opt().seq(r);
  const cumulFence = aCumul(strongFence0.union(poRel)).union(wmb, poUnlockRfLockPo).restrict(Marked, Marked);
  const prop = Relation.seqAll(I(Marked), overwrite.inter(ext).opt(), cumulFence.star(), I(Marked), rfe.opt(), I(Marked));
  const hb = ppo.union(rfe, prop.diff(id).inter(int)).restrict(Marked, Marked);
  if (!hb.acyclic()) failed.push('happens-before');

  // Write and fence propagation ordering.
  const hbStar = hb.star();
  const pb = Relation.seqAll(prop, strongFence0, hbStar, I(Marked));
  if (!pb.acyclic()) failed.push('propagation');
  const pbStar = pb.star();

  // RCU.
  const rcuGp = I(SyncRcu);
  const rcuRscsi = rcuRscs.inverse();
  const rcuLink = Relation.seqAll(po.opt(), hbStar, pbStar, prop, po);
  let rcuOrder = Relation.empty(n);
  for (;;) {
    const next = rcuGp.union(
      Relation.seqAll(rcuGp, rcuLink, rcuRscsi),
      Relation.seqAll(rcuRscsi, rcuLink, rcuGp),
      Relation.seqAll(rcuGp, rcuLink, rcuOrder, rcuLink, rcuRscsi),
      Relation.seqAll(rcuRscsi, rcuLink, rcuOrder, rcuLink, rcuGp),
      Relation.seqAll(rcuOrder, rcuLink, rcuOrder));
    if (sameRelation(next, rcuOrder)) break;
    rcuOrder = next;
  }
  const rcuFence = Relation.seqAll(po, rcuOrder, po.opt());
  const fence1 = fence0.union(rcuFence);
  const strongFence = strongFence0.union(rcuFence);
  const rb = Relation.seqAll(prop, rcuFence, hbStar, pbStar, I(Marked));
  if (!rb.irreflexive()) failed.push('rcu');

  // Plain accesses and data races.
  const mixed = Relation.seqAll(I(Plain.inter(W)), poLoc.diff(barrier), I(Marked)).union(Relation.seqAll(I(Marked), poLoc.diff(barrier), I(Plain.inter(W))));
  if (!mixed.isEmpty()) flags.push('mixed-accesses');
  const xbstar = hb.union(pb, rb).star();
  const vis = Relation.seqAll(cumulFence.star(), rfe.opt(), I(Marked), Relation.seqAll(strongFence, I(Marked), xbstar).union(xbstar.inter(int)));
  const notNoreturn = all.diff(Noreturn);
  const wPreBounded = I(Marked).seq(addr.union(fence1).opt());
  const rPreBounded = I(Marked).seq(addr.union(nonrwFence, Relation.seqAll(I(R4rmb), fencerel(Rmb), I(notNoreturn))).opt());
  const wPostBounded = fence1.opt().seq(I(Marked));
  const rPostBounded = nonrwFence.union(Relation.seqAll(I(notNoreturn), fencerel(Rmb), I(R4rmb))).opt().seq(I(Marked));
  const wwVis = fence1.union(Relation.seqAll(strongFence, xbstar, wPreBounded), Relation.seqAll(wPostBounded, vis, wPreBounded));
  const wrVis = fence1.union(Relation.seqAll(strongFence, xbstar, rPreBounded), Relation.seqAll(wPostBounded, vis, rPreBounded));
  const rwXbstar = fence1.union(Relation.seqAll(rPostBounded, xbstar, wPreBounded));
  const preRace = ext.inter(Relation.product(Plain, M).union(Relation.product(M.diff(IW), Plain)));
  const wrIncoh = preRace.inter(rf).inter(rwXbstar.inverse());
  const rwIncoh = preRace.inter(fr).inter(wrVis.inverse());
  const wwIncoh = preRace.inter(co).inter(wwVis.inverse());
  if (!wrIncoh.union(rwIncoh, wwIncoh).isEmpty()) failed.push('plain-coherence');
  const wwNonrace = wwVis.inter(Relation.product(Marked, W).union(rwXbstar)).inter(Relation.product(W, Marked).union(wrVis));
  const wwRace = preRace.inter(co).diff(wwNonrace);
  const wrRace = preRace.inter(co.opt().seq(rf)).diff(wrVis);
  const rwRace = preRace.inter(fr).diff(rwXbstar);
  const race = wwRace.union(wrRace, rwRace);
  if (!race.isEmpty()) flags.push('data-race');

  return {
    failed, flags,
    rel: {
      po, 'po-loc': poLoc, rf, co, fr, rfe, rfi, coe, fre, addr, data, ctrl, rmw,
      mb, wmb, rmb, gp, 'acq-po': acqPo, 'po-rel': poRel, 'po-unlock-rf-lock-po': poUnlockRfLockPo,
      'strong-fence': strongFence0, 'rcu-fence': rcuFence, 'to-r': toR, 'to-w': toW, rwdep, overwrite,
      ppo, hb, 'hb*': hbStar, pb, 'pb*': pbStar, rb, prop, 'cumul-fence': cumulFence, 'data-race': race,
    },
  };
}

/** linux-kernel.bell's rcu-rscs: each rcu_read_lock() with the rcu_read_unlock() that closes it, nesting as brackets do. */
function rcuCriticalSections(fences: readonly (string | null)[], threads: readonly number[], n: number): Relation {
  const r = Relation.empty(n);
  const open = new Map<number, number[]>();
  fences.forEach((f, i) => {
    const stack = open.get(threads[i]!) ?? [];
    open.set(threads[i]!, stack);
    if (f === 'rcu-lock') stack.push(i);
    else if (f === 'rcu-unlock' && stack.length > 0) r.add(stack.pop()!, i);
  });
  return r;
}

function sameRelation(a: Relation, b: Relation): boolean {
  return a.rows.every((x, k) => x === b.rows[k]);
}
