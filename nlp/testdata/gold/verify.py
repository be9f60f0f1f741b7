#!/usr/bin/env python3
"""Check postings.jsonl against the publisher's ESCO CSV bundle, read in place.

Usage: python3 verify.py [SHARED_DATA_DIR]   (default ../../../../shared/data)

Every skill URI must be a concept of skills_en.csv (ESCO v1.1.1), every
occupation URI a concept of occupations_en.csv, isco4 must equal that
occupation's iscoGroup, the occupation must also exist in the Italian v1.0.8
occupations_it.csv, every evidence must occur in the title or text (case
insensitive), ids must be unique and there must be at least 150 Italian and
50 English postings. Exit status 1 on any problem, each one printed with the
line number.
"""
import csv, io, json, os, sys, zipfile

here = os.path.dirname(os.path.abspath(__file__))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', '..', '..', '..', 'shared', 'data')
zpath = os.path.join(data, 'esco-v1.1.1-en', 'ESCO dataset - v1.1.1 - classification - en - csv.zip')

def read_zip_csv(z, name):
    member = next(n for n in z.namelist() if n.endswith(name))
    return list(csv.DictReader(io.TextIOWrapper(z.open(member), encoding='utf-8')))

with zipfile.ZipFile(zpath) as z:
    skills = {r['conceptUri']: r for r in read_zip_csv(z, 'skills_en.csv')}
    occs = {r['conceptUri']: r for r in read_zip_csv(z, 'occupations_en.csv')}
with open(os.path.join(data, 'esco-v1.0.8-it', 'occupations_it.csv'), encoding='utf-8') as f:
    occs_it = {r['conceptUri']: r for r in csv.DictReader(f)}

problems, langs, ids, nskills = [], {}, set(), 0
with open(os.path.join(here, 'postings.jsonl'), encoding='utf-8') as f:
    for n, line in enumerate(f, 1):
        p = json.loads(line)
        where = f'postings.jsonl:{n} ({p["id"]})'
        if p['id'] in ids:
            problems.append(f'{where}: duplicate id')
        ids.add(p['id'])
        langs[p['lang']] = langs.get(p['lang'], 0) + 1
        o = occs.get(p['occupation_uri'])
        if o is None:
            problems.append(f'{where}: occupation {p["occupation_uri"]} not in occupations_en.csv')
        elif o['iscoGroup'] != p['isco4']:
            problems.append(f'{where}: isco4 {p["isco4"]} but iscoGroup is {o["iscoGroup"]}')
        if p['occupation_uri'] not in occs_it:
            problems.append(f'{where}: occupation not in occupations_it.csv')
        hay = (p['title'] + '\n' + p['text']).lower()
        seen = set()
        for s in p['skills']:
            nskills += 1
            k = skills.get(s['uri'])
            if k is None:
                problems.append(f'{where}: skill {s["uri"]} not in skills_en.csv')
            elif k['preferredLabel'].strip() != s['label'].strip():
                problems.append(f'{where}: label {s["label"]!r} but ESCO says {k["preferredLabel"]!r}')
            if s['uri'] in seen:
                problems.append(f'{where}: skill {s["uri"]} twice')
            seen.add(s['uri'])
            if s['evidence'].lower() not in hay:
                problems.append(f'{where}: evidence {s["evidence"]!r} not in the posting')

for p in problems:
    print(p)
print(f'{sum(langs.values())} postings {langs}, {nskills} skill annotations, {len(problems)} problems')
if langs.get('it', 0) < 150 or langs.get('en', 0) < 50:
    print('need at least 150 it and 50 en postings')
    sys.exit(1)
sys.exit(1 if problems else 0)
