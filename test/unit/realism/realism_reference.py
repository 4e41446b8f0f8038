"""Independent recomputation of `dexposure realism` from exported CSVs (NumPy).

Usage: realism_reference.py EXPORT_DIR RELEASE_DIR REAL_AGGREGATES_DIR H1,H2,...
EXPORT_DIR holds nodes.csv (week,id,name,category,tvl) and edges.csv
(week,source,target,weight) of every week (`dexposure export --from --to`).
Prints JSON with the weekly series and the summary values the realism report holds.
"""
import csv
import json
import sys
from collections import defaultdict

import numpy as np

SECTORS = ['Asset Management', 'Infrastructure, Services & Financial Products', 'Lending, Borrowing & Real World Assets',
           'Other / Unknown', 'Primary Market Tokens', 'Privacy & Security', 'Trading & Exchanges']
K = len(SECTORS)


def sector_of(mapping_dir):
    info = json.load(open(f'{mapping_dir}/id_to_info.json'))
    ttp = json.load(open(f'{mapping_dir}/token_to_protocol.json'))
    primary = {t for t, e in ttp.get('PRIMARY', {}).items() if e['id'] == t}

    def f(i):
        if i in info:
            c = info[i]['category']
            return SECTORS.index(c) if c in SECTORS else 3
        return 4 if i in primary else 3
    return f


def acf(x, lag):
    x = np.asarray(x, dtype=float)
    d = x - x.mean()
    return float(np.sum(d[:-lag] * d[lag:]) / np.sum(d * d))


def hhi_off(m):
    m = m.copy()
    np.fill_diagonal(m, 0)
    t = m.sum()
    return float(((m / t) ** 2).sum()) if t > 0 else 0.0


def main():
    exp_dir, rel_dir, real_dir, hs = sys.argv[1], sys.argv[2], sys.argv[3], [int(h) for h in sys.argv[4].split(',')]
    sec = sector_of(f'{rel_dir}/mapping')
    nodes = defaultdict(list)
    for r in csv.DictReader(open(f'{exp_dir}/nodes.csv')):
        nodes[r['week']].append((r['id'], r['category'], float(r['tvl'])))
    edges = defaultdict(list)
    for r in csv.DictReader(open(f'{exp_dir}/edges.csv')):
        edges[r['week']].append((r['source'], r['target'], float(r['weight'])))
    real_cells = defaultdict(lambda: np.zeros((K, K)))
    for r in csv.DictReader(open(f'{real_dir}/weekly-sector-link-size.csv')):
        real_cells[r['week']][SECTORS.index(r['source_sector']), SECTORS.index(r['target_sector'])] += float(r['link_size_usd'])
    weeks = sorted(nodes)
    out = {'week': weeks, 'linkSize': [], 'tvl': [], 'sectorDistance': [], 'spillover': [], 'spilloverReal': []}
    sets = []
    unknown = total = 0
    for w in weeks:
        cells = np.zeros((K, K))
        off = np.zeros((K, K))
        s = set()
        for u, v, x in edges[w]:
            if x > 0:
                cells[sec(u), sec(v)] += x
                if u != v:
                    off[sec(u), sec(v)] += x
            s.add((u, v))
        sets.append(s)
        out['linkSize'].append(sum(x for _, _, x in edges[w]))
        out['tvl'].append(sum(t for _, _, t in nodes[w]))
        unknown += sum(1 for _, c, _ in nodes[w] if c == 'Unknown')
        total += len(nodes[w])
        out['spillover'].append(hhi_off(off))
        if w in real_cells and cells.sum() > 0 and real_cells[w].sum() > 0:
            out['sectorDistance'].append(float(np.abs(cells / cells.sum() - real_cells[w] / real_cells[w].sum()).sum() / 2))
            out['spilloverReal'].append(hhi_off(real_cells[w]))
        else:
            out['sectorDistance'].append(None)
            out['spilloverReal'].append(None)
    out['acf'] = {str(l): acf(out['spillover'], l) for l in (1, 4, 8, 12) if len(weeks) > l + 2}
    out['edgePersistence'] = {}
    out['directionPersistence'] = {}
    for h in hs:
        kept = tot = same = linked = 0
        for t in range(h, len(weeks)):
            prev, cur = sets[t - h], sets[t]
            for (u, v) in prev:
                tot += 1
                kept += (u, v) in cur
                if u == v or (v, u) in prev:
                    continue
                if (u, v) in cur or (v, u) in cur:
                    linked += 1
                    same += (u, v) in cur
        out['edgePersistence'][str(h)] = kept / tot
        out['directionPersistence'][str(h)] = same / linked if linked else None
    out['unknownShare'] = unknown / total
    last = np.array(sorted((t for _, _, t in nodes[weeks[-1]] if t > 0), reverse=True))
    out['top10'] = float(last[:10].sum() / last.sum())
    print(json.dumps(out))


main()
