// The synthetic inventory of the benchmark: deterministic (seeded PRNG), sized S/M/L (XS for the
// CI smoke run). The catalog (categories, purposes, processors, locations, activities, systems)
// goes through the manifest importer; datasets through registerDatasets in pushes of 1,000; the
// subject index through reportSubjects. Nothing is written with direct SQL.

export const SIZES = {
  XS: { activities: 60, processors: 12, datasets: 300, push: 100, subjects: 3_000, perDataset: 100 },
  S: { activities: 1_000, processors: 200, datasets: 10_000, push: 1_000, subjects: 100_000, perDataset: 1_000 },
  M: { activities: 5_000, processors: 1_000, datasets: 50_000, push: 1_000, subjects: 500_000, perDataset: 1_000 },
  L: { activities: 10_000, processors: 2_000, datasets: 100_000, push: 1_000, subjects: 1_000_000, perDataset: 1_000 },
};

export const FIELDS_PER_DATASET = 10;
/** Every person's email is reported for this many datasets, so an identity is held in several. */
export const DATASETS_PER_PERSON = 5;

// 30 foreign countries; the first 24 have a country assessment, the last 6 none (a finding).
const FOREIGN = ['US', 'SG', 'IE', 'DE', 'IN', 'GB', 'FR', 'NL', 'KR', 'TW', 'AU', 'CA', 'HK', 'PH', 'VN', 'TH', 'MY', 'ID', 'BR', 'MX', 'SE', 'FI', 'CH', 'PL', 'NZ', 'IL', 'AE', 'ZA', 'CL', 'AR'];
const ASSESSED = FOREIGN.slice(0, 24);

/** mulberry32: small, fast, good enough to spread a synthetic inventory. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n) => String(n).padStart(6, '0');
export const code = {
  activity: (i) => `pa-${pad(i)}`,
  processor: (i) => `proc-${pad(i)}`,
  location: (i) => `loc-${pad(i)}`,
  subject: (i) => `sc-${pad(i)}`,
  purpose: (i) => `pur-${pad(i)}`,
  system: (i) => `sys-${pad(i)}`,
  dataset: (i) => `t_${pad(i)}`,
};
export const email = (person) => `person.${person}@bench.example`;

/** The large processor of Q2: engaged by every 20th activity and hosting every 50th dataset. */
export const LARGE_PROCESSOR = 0;

const iso = (d) => d.toISOString().slice(0, 10);
const daysFromNow = (n) => iso(new Date(Date.now() + n * 86_400_000));

export function generate(sizeName) {
  const size = SIZES[sizeName];
  if (!size) throw new Error(`unknown size ${sizeName} (${Object.keys(SIZES).join(', ')})`);
  const rnd = prng(0x6b69726f ^ sizeName.charCodeAt(0));
  const int = (n) => Math.floor(rnd() * n);
  const pick = (n, k) => {
    const s = new Set();
    while (s.size < Math.min(k, n)) s.add(int(n));
    return [...s];
  };

  // Taxonomy: 12 groups of 6 data categories (one special-care group), subject categories and purposes.
  const dataCategories = [];
  for (let g = 0; g < 12; g++) {
    dataCategories.push({ code: `g${g}`, name: { en: `Group ${g}`, ja: `グループ${g}` }, kind: g === 11 ? 'SPECIAL_CARE' : 'PERSONAL' });
    for (let c = 0; c < 6; c++) {
      dataCategories.push({ code: `g${g}.c${c}`, name: { en: `Category ${g}.${c}` }, parent: `g${g}`, kind: g === 11 ? 'SPECIAL_CARE' : g === 10 ? 'PERSONALLY_REFERABLE' : 'PERSONAL', ...(g === 0 && c === 0 ? { identityType: 'EMAIL' } : {}) });
    }
  }
  const leafCategories = dataCategories.filter((c) => c.parent).map((c) => c.code);
  const subjectCount = Math.max(6, Math.floor(size.activities / 50));
  const subjectCategories = Array.from({ length: subjectCount }, (_, i) => ({
    code: code.subject(i), name: { en: `Subjects ${i}`, ja: `本人区分${i}` },
    // Every 25th category is data the organization holds as a processor (requests go to the client).
    ...(i % 25 === 24 ? { role: 'PROCESSOR', requestsAccepted: false, entrustingController: { en: 'The entrusting client' } } : {}),
  }));
  const purposeCount = Math.max(10, Math.floor(size.activities / 5));
  const purposes = Array.from({ length: purposeCount }, (_, i) => ({ code: code.purpose(i), text: { ja: `利用目的${i}`, en: `Purpose ${i}` }, kind: 'CATEGORY', subjectCategory: code.subject(i % subjectCount) }));

  const countryAssessments = [{ country: 'JP', regime: { en: 'APPI' }, reviewedAt: daysFromNow(-100) }, ...ASSESSED.map((country, i) => ({
    country, regime: { en: `Regime of ${country}` },
    // A few assessments are stale and a few countries have laws that may impede the recipient's measures.
    reviewedAt: daysFromNow(i % 6 === 5 ? -500 : -30 - i),
    ...(i % 8 === 3 ? { impediments: { en: `Government access in ${country}` } } : {}),
  }))];

  // Processors: ~10% abroad; chains of sub-processors (each engages the next, in chains of 5).
  const processors = Array.from({ length: size.processors }, (_, i) => {
    const abroad = i % 10 === 3 || i === LARGE_PROCESSOR;
    const contract = i % 17 === 5 ? null : {
      signedAt: daysFromNow(-400 - i % 300),
      ...(i % 13 === 4 ? { expiresAt: daysFromNow(-10) } : i % 11 === 2 ? { expiresAt: daysFromNow(20) } : { expiresAt: daysFromNow(300 + i % 200) }),
      subProcessingAllowed: i % 19 !== 7,
    };
    const audits = i % 7 === 6 ? [] : [{ code: `aud-${pad(i)}-1`, auditedAt: daysFromNow(-200 - (i % 400)), method: 'QUESTIONNAIRE', result: 'SATISFACTORY' }];
    return {
      code: code.processor(i), name: { en: `Processor ${i}`, ja: `委託先${i}` },
      country: abroad ? FOREIGN[i % FOREIGN.length] : 'JP',
      services: ['hosting'], ...(contract ? { contract } : {}), auditIntervalMonths: 12,
      subProcessors: i % 5 !== 4 && i + 1 < size.processors ? [code.processor(i + 1)] : [],
      audits,
    };
  });

  // Storage: 1–2 locations hosted by each processor; ~10% of them outside Japan in 30 countries.
  const storageLocations = [];
  processors.forEach((p, i) => {
    for (let k = 0; k < 1 + (i % 2); k++) {
      const n = storageLocations.length;
      const abroad = n % 10 === 7;
      storageLocations.push({ code: code.location(n), name: { en: `Location ${n}` }, country: abroad ? FOREIGN[(n * 7) % FOREIGN.length] : 'JP', region: abroad ? null : 'Tokyo', purpose: k === 0 ? 'PRIMARY' : 'BACKUP', hostingProcessor: p.code });
    }
  });

  // A foreign transfer (equivalent-measures route) for most processors abroad.
  const foreignTransfers = processors.filter((p) => p.country !== 'JP').filter((_, k) => k % 4 !== 1).map((p, k) => ({
    code: `ft-${p.code}`, recipientName: p.name, recipientKind: 'PROCESSOR', country: p.country, basis: 'EQUIVALENT_MEASURES_CONTRACT', processor: p.code,
    periodicCheck: { frequencyMonths: 12, lastCheckedAt: daysFromNow(k % 3 === 0 ? -500 : -60) },
    ...(k % 5 === 2 ? { impedimentResponse: { en: 'Encryption with keys held in Japan' } } : {}),
  }));

  const activities = Array.from({ length: size.activities }, (_, i) => {
    const processorSet = new Set(pick(size.processors, 1 + int(3)));
    if (i % 20 === 0) processorSet.add(LARGE_PROCESSOR);
    const cats = pick(leafCategories.length, 3 + int(6)).map((k) => leafCategories[k]);
    return {
      code: code.activity(i), name: { en: `Activity ${i}`, ja: `処理活動${i}` }, role: 'CONTROLLER', status: 'ACTIVE',
      subjectCategories: pick(subjectCount, 1 + int(2)).map(code.subject),
      purposes: pick(purposeCount, 2 + int(3)).map(code.purpose),
      dataCategories: i % 3 === 0 ? ['g0.c0', ...cats.filter((c) => c !== 'g0.c0')] : cats,
      processors: [...processorSet].map(code.processor),
      storageLocations: pick(storageLocations.length, 1 + int(2)).map(code.location),
    };
  });

  const systemCount = Math.ceil(size.datasets / size.push);
  const systems = Array.from({ length: systemCount }, (_, i) => ({ key: code.system(i), name: `System ${i}` }));

  // Datasets, one push per system. Field 0 holds the email (indexed); the rest random categories.
  const datasetPlan = Array.from({ length: size.datasets }, (_, i) => ({
    activities: pick(size.activities, 1 + int(2)),
    processor: i % 50 === 0 ? LARGE_PROCESSOR : int(size.processors),
    location: int(storageLocations.length),
    cats: Array.from({ length: FIELDS_PER_DATASET - 1 }, () => leafCategories[int(leafCategories.length)]),
  }));
  const datasetInput = (i, revision = 0) => {
    const d = datasetPlan[i];
    return {
      key: code.dataset(i), name: `Table ${i}${revision ? ` (rev ${revision})` : ''}`,
      location: { code: code.location(d.location) }, processorCode: code.processor(d.processor),
      activityCodes: d.activities.map(code.activity),
      fields: [
        { path: 'email', identityType: 'EMAIL', dataCategoryCodes: ['g0.c0'] },
        ...d.cats.map((c, j) => ({ path: `col_${j + 1}`, description: revision ? `revision ${revision}` : null, dataCategoryCodes: [c] })),
      ],
    };
  };
  /** The registerDatasets input of system `s` (its slice of datasets). */
  const push = (s, revision = 0) => {
    const from = s * size.push;
    const to = Math.min(size.datasets, from + size.push);
    return { systemKey: code.system(s), prune: false, datasets: Array.from({ length: to - from }, (_, k) => datasetInput(from + k, revision)) };
  };

  // Subject index: `indexed` datasets get `perDataset` persons each, from a population of
  // subjects / DATASETS_PER_PERSON, so that each person is held in DATASETS_PER_PERSON datasets.
  const population = size.subjects / DATASETS_PER_PERSON;
  const indexed = size.subjects / size.perDataset;
  const subjectBatch = (k) => ({
    systemKey: code.system(Math.floor(datasetOf(k) / size.push)), datasetKey: code.dataset(datasetOf(k)), identityType: 'EMAIL', op: 'ADD',
    values: Array.from({ length: size.perDataset }, (_, v) => email((k * size.perDataset + v) % population)),
  });
  // Spread the indexed datasets over the whole inventory.
  const stride = Math.floor(size.datasets / indexed);
  const datasetOf = (k) => k * stride;
  /** Datasets holding person p. */
  const heldBy = (p) => Array.from({ length: indexed }, (_, k) => k).filter((k) => (((p - k * size.perDataset) % population) + population) % population < size.perDataset).map(datasetOf);

  // Q3: person 0, claiming the subject categories of the activities of the datasets holding them.
  const q3Datasets = heldBy(0);
  const q3Subjects = [...new Set(q3Datasets.map((d) => activities[datasetPlan[d].activities[0]].subjectCategories[0]))]
    .filter((c) => !subjectCategories.find((s) => s.code === c)?.role).slice(0, 2);

  const manifest = {
    apiVersion: 'kiroku/v1', kind: 'Inventory', illustrative: true, description: `Benchmark inventory (${sizeName}), synthetic`,
    subjectCategories, dataCategories, purposes, countryAssessments, processors, storageLocations, foreignTransfers,
    processingActivities: activities, systems,
  };
  return { size, manifest, systemCount, push, subjectBatches: indexed, subjectBatch, q3: { person: 0, email: email(0), datasets: q3Datasets, subjectCategories: q3Subjects }, largeProcessor: code.processor(LARGE_PROCESSOR) };
}
