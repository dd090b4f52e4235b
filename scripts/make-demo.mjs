#!/usr/bin/env node
/**
 * Writes the bundled demo collection, data/demo/, in BEIR format:
 *   corpus.jsonl, queries.jsonl, qrels/test.tsv, qrels/train.tsv, README.md
 *
 * The collection is SYNTHETIC: a fictional hardware / electronics / home-tools retailer with
 * made-up brands and identifiers. It exists so that pairlift's first command has something
 * realistic to index and evaluate: exact SKUs, part numbers and model numbers of many shapes,
 * near-duplicate identifiers (KT-2040 / KT-2040X / KT-204), accessories whose text names other
 * products' part numbers, and natural-language queries with several plausible answers.
 *
 * Relevance judgments are derived from the generator's own product model (each product's SKU,
 * model family, compatibility list and attributes), never guessed; see the grading rules in
 * data/demo/README.md, which this script also writes.
 *
 * Deterministic: a fixed seed drives a small hand-written PRNG (mulberry32), so two runs write
 * byte-identical files. No dependencies.
 *
 * Usage: node scripts/make-demo.mjs [outDir]      (default: data/demo)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SEED = 0x2040;
const TRAIN_FRACTION = 0.3;

// ---------------------------------------------------------------------------------------------
// PRNG and small helpers
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny 32-bit PRNG; returns floats in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(SEED);
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

function shuffle(xs, r = rand) {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const sample = (xs, k) => shuffle(xs).slice(0, k);

/** "a", "a and b", "a, b and c" */
function listText(xs) {
  if (xs.length <= 1) return xs.join("");
  return `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}

/**
 * Builds a product description: every `required` sentence (these carry the facts the relevance
 * rules rely on), then optional flavour sentences in random order, 2 to 5 sentences in all, then
 * the `tail` sentences (counted too).
 */
function compose(required, optional = [], tail = []) {
  const req = required.filter(Boolean);
  const t = tail.filter(Boolean);
  const opt = shuffle(optional.filter(Boolean));
  const fixed = req.length + t.length;
  const target = Math.max(2, Math.min(5, fixed + int(0, 2)));
  const out = req.slice();
  while (out.length + t.length < target && opt.length > 0) out.push(opt.shift());
  return [...out, ...t].join(" ");
}

/** The identifier with case and separators removed: "KT-2040" → "kt2040". */
const compact = (s) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
/** The identifier split the way people type it with spaces: "RT.4410.02" → "rt 4410 02". */
function spaced(s) {
  const parts = s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (parts.length > 1) return parts.join(" ");
  // "WD1680" → "wd 1680": split the leading letters from the digits
  return s.toLowerCase().replace(/^([a-z]+)(\d)/, "$1 $2");
}

// ---------------------------------------------------------------------------------------------
// The product model
// ---------------------------------------------------------------------------------------------

/**
 * A product: sku (unique), brand, category (slug), title, text, family (products sharing a family
 * are variants a retailer groups on one product page: kit vs bare tool, pack size, finish, size),
 * compat (SKUs or outside model numbers this product is made to fit or work with), replaces
 * (products this one is a drop-in substitute for, e.g. a house-brand cartridge), attrs (the
 * facts the natural-language relevance rules read; the text states them).
 */
const products = [];
const bySku = new Map();

function add(p) {
  const product = { family: p.sku, compat: [], replaces: [], attrs: {}, ...p };
  for (const key of ["sku", "brand", "category", "title", "text"]) {
    if (typeof product[key] !== "string" || product[key] === "") {
      throw new Error(`product ${p.sku}: missing ${key}`);
    }
  }
  if (bySku.has(product.sku)) throw new Error(`duplicate SKU ${product.sku}`);
  products.push(product);
  bySku.set(product.sku, product);
  return product;
}

const skusWhere = (pred) => products.filter(pred).map((p) => p.sku);

// ---------------------------------------------------------------------------------------------
// Cordless and corded power tools
// ---------------------------------------------------------------------------------------------

const PLATFORM = {
  Kestrel: { 18: "Kestrel 18V", 12: "Kestrel 12V" },
  Vantor: { 20: "Vantor 20V" },
  Boltmann: { 18: "Boltmann 18V", 12: "Boltmann 12V" },
};

// [sku, family, category, volt, brushless, name, spec, kit contents or null]
// prettier-ignore
const CORDLESS = [
  // Kestrel
  ["KT-204", "KT-204", "drill-driver", 12, false, "Compact Drill Driver", { torque: 265, chuck: "3/8 in.", rpm: "0-400/0-1,500" }, "a 12V 2.0Ah KT-B12 battery and a KT-C12 charger"],
  ["KT-124", "KT-124", "impact-driver", 12, false, "Compact Impact Driver", { torque: "950", ipm: "3,000" }, null],
  ["KT-2040", "KT-2040", "drill-driver", 18, true, "Drill Driver", { torque: 620, chuck: "1/2 in.", rpm: "0-550/0-2,000" }, null],
  ["KT-2040X", "KT-2040", "drill-driver", 18, true, "Drill Driver", { torque: 620, chuck: "1/2 in.", rpm: "0-550/0-2,000" }, "two KT-B20 2.0Ah batteries, a KT-C18 charger and a tool bag"],
  ["KT-2060", "KT-2060", "hammer-drill", 18, true, "Hammer Drill", { torque: 750, chuck: "1/2 in.", bpm: "31,500" }, null],
  ["KT-2060X", "KT-2060", "hammer-drill", 18, true, "Hammer Drill", { torque: 750, chuck: "1/2 in.", bpm: "31,500" }, "two KT-B40 4.0Ah batteries, a KT-C18F rapid charger and a hard case"],
  ["KT-2400", "KT-2400", "drywall-screw-gun", 18, true, "Drywall Screw Gun", { rpm: "4,400" }, null],
  ["KT-3010", "KT-3010", "impact-driver", 18, true, "Impact Driver", { torque: "1,825", ipm: "3,600" }, null],
  ["KT-3010X", "KT-3010", "impact-driver", 18, true, "Impact Driver", { torque: "1,825", ipm: "3,600" }, "two KT-B20 2.0Ah batteries, a KT-C18 charger and a tool bag"],
  ["KT-3020", "KT-3020", "impact-wrench", 18, true, "1/2 in. Impact Wrench", { torque: 450, breakaway: 700 }, null],
  ["KT-4050", "KT-4050", "circular-saw", 18, true, "6-1/2 in. Circular Saw", { blade: "6-1/2 in.", depth: "2-1/8 in.", bevel: 50 }, null],
  ["KT-4060", "KT-4060", "reciprocating-saw", 18, true, "Reciprocating Saw", { stroke: "1-1/8 in.", spm: "3,000" }, null],
  ["KT-5010", "KT-5010", "random-orbit-sander", 18, false, "5 in. Random Orbit Sander", { pad: "5 in.", opm: "12,000" }, null],
  ["KT-6020", "KT-6020", "jigsaw", 18, true, "Jigsaw", { spm: "3,500" }, null],
  ["KT-7010", "KT-7010", "angle-grinder", 18, true, "4-1/2 in. Angle Grinder", { wheel: "4-1/2 in.", rpm: "8,500" }, null],
  ["KT-8010", "KT-8010", "handheld-vacuum", 18, false, "Handheld Vacuum", { filter: "KT-VF80", capacity: "0.5 qt." }, null],
  ["KT-L18", "KT-L18", "work-light", 18, false, "LED Work Light", { lumens: "1,500", modes: 3 }, null],
  // Vantor
  ["VCD791D2", "VCD791", "drill-driver", 20, true, "1/2 in. Drill/Driver", { torque: 650, chuck: "1/2 in.", rpm: "0-550/0-2,000" }, "two VCB203 2.0Ah batteries, a VCB115 charger and a contractor bag"],
  ["VCD791B", "VCD791", "drill-driver", 20, true, "1/2 in. Drill/Driver", { torque: 650, chuck: "1/2 in.", rpm: "0-550/0-2,000" }, null],
  ["VCD777C2", "VCD777", "drill-driver", 20, true, "Compact 1/2 in. Drill/Driver", { torque: 500, chuck: "1/2 in.", rpm: "0-450/0-1,750" }, "two VCB203 2.0Ah batteries and a VCB115 charger"],
  ["VCD796P1", "VCD796", "hammer-drill", 20, true, "1/2 in. Hammer Drill", { torque: 820, chuck: "1/2 in.", bpm: "34,000" }, "one VCB205 5.0Ah battery, a VCB115 charger and a contractor bag"],
  ["VCD796B", "VCD796", "hammer-drill", 20, true, "1/2 in. Hammer Drill", { torque: 820, chuck: "1/2 in.", bpm: "34,000" }, null],
  ["VCF887D2", "VCF887", "impact-driver", 20, true, "1/4 in. Impact Driver", { torque: "1,825", ipm: "3,800" }, "two VCB203 2.0Ah batteries, a VCB115 charger and a contractor bag"],
  ["VCF887B", "VCF887", "impact-driver", 20, true, "1/4 in. Impact Driver", { torque: "1,825", ipm: "3,800" }, null],
  ["VCF809C1", "VCF809", "impact-driver", 20, false, "Compact 1/4 in. Impact Driver", { torque: "1,400", ipm: "3,200" }, "one VCB203 2.0Ah battery and a VCB115 charger"],
  ["VCF894B", "VCF894", "impact-wrench", 20, true, "1/2 in. Impact Wrench", { torque: 330, breakaway: 550 }, null],
  ["VCF620B", "VCF620", "drywall-screw-gun", 20, true, "Drywall Screw Gun", { rpm: "4,400" }, null],
  ["VCS570B", "VCS570", "circular-saw", 20, true, "7-1/4 in. Circular Saw", { blade: "7-1/4 in.", depth: "2-9/16 in.", bevel: 57 }, null],
  ["VCS565B", "VCS565", "circular-saw", 20, true, "6-1/2 in. Circular Saw", { blade: "6-1/2 in.", depth: "2-1/8 in.", bevel: 50 }, null],
  ["VCS367B", "VCS367", "reciprocating-saw", 20, true, "Compact Reciprocating Saw", { stroke: "1-1/8 in.", spm: "2,900" }, null],
  ["VCS334B", "VCS334", "jigsaw", 20, true, "Jigsaw", { spm: "3,200" }, null],
  ["VCW210B", "VCW210", "random-orbit-sander", 20, true, "5 in. Random Orbit Sander", { pad: "5 in.", opm: "12,000" }, null],
  ["VCG413B", "VCG413", "angle-grinder", 20, true, "4-1/2 in. Angle Grinder", { wheel: "4-1/2 in.", rpm: "9,000" }, null],
  ["VCV501HB", "VCV501", "handheld-vacuum", 20, false, "Handheld Vacuum", { filter: "VCV5011", capacity: "0.7 qt." }, null],
  ["VCL040", "VCL040", "work-light", 20, false, "LED Spotlight", { lumens: "1,000", modes: 2 }, null],
  // Boltmann
  ["BSR18V-55", "BSR18V-55", "drill-driver", 18, true, "1/2 in. Drill/Driver", { torque: 600, chuck: "1/2 in.", rpm: "0-600/0-1,900" }, null],
  ["BSR18V-55K", "BSR18V-55", "drill-driver", 18, true, "1/2 in. Drill/Driver", { torque: 600, chuck: "1/2 in.", rpm: "0-600/0-1,900" }, "two BBA18V-40 4.0Ah batteries, a BAL18-20 charger and a carrying case"],
  ["BSR18V-60", "BSR18V-60", "drill-driver", 18, true, "Heavy-Duty 1/2 in. Drill/Driver", { torque: 1100, chuck: "1/2 in.", rpm: "0-650/0-2,100" }, null],
  ["BSB18V-60", "BSB18V-60", "hammer-drill", 18, true, "1/2 in. Hammer Drill/Driver", { torque: 1100, chuck: "1/2 in.", bpm: "33,000" }, null],
  ["BSR12V-30", "BSR12V-30", "drill-driver", 12, true, "Compact 3/8 in. Drill/Driver", { torque: 350, chuck: "3/8 in.", rpm: "0-450/0-1,750" }, "two BBA12V-20 2.0Ah batteries and a BAL12-10 charger"],
  ["BDR18V-200", "BDR18V-200", "impact-driver", 18, true, "1/4 in. Hex Impact Driver", { torque: "1,950", ipm: "4,000" }, null],
  ["BDR18V-180", "BDR18V-180", "impact-driver", 18, false, "1/4 in. Hex Impact Driver", { torque: "1,500", ipm: "3,200" }, null],
  ["BKS18V-57", "BKS18V-57", "circular-saw", 18, true, "6-1/2 in. Circular Saw", { blade: "6-1/2 in.", depth: "2-1/8 in.", bevel: 50 }, null],
  ["BSA18V-100", "BSA18V-100", "reciprocating-saw", 18, true, "Reciprocating Saw", { stroke: "1-1/4 in.", spm: "3,000" }, null],
  ["BST18V-90", "BST18V-90", "jigsaw", 18, true, "Top-Handle Jigsaw", { spm: "3,800" }, null],
  ["BWS18V-115", "BWS18V-115", "angle-grinder", 18, true, "4-1/2 in. Angle Grinder", { wheel: "4-1/2 in.", rpm: "10,000" }, null],
  ["BGL18V-20", "BGL18V-20", "work-light", 18, false, "LED Floodlight", { lumens: "2,000", modes: 3 }, null],
  ["BAS18V-10", "BAS18V-10", "handheld-vacuum", 18, false, "Handheld Vacuum", { filter: "BFL-10", capacity: "0.4 qt." }, null],
];

const TOOL_USE = {
  "drill-driver": [
    "Drills pilot holes in wood, metal and plastic and drives drywall screws, deck screws and cabinet screws.",
    "A good all-round drill for hanging shelves, assembling furniture and driving screws into studs.",
    "Sized for everyday drilling and driving, from drywall screws to 1/4 in. lag bolts.",
  ],
  "hammer-drill": [
    "Hammer mode drills into brick, block and concrete with masonry bits; switch it off for wood and metal.",
    "Drills anchor holes in concrete, brick and mortar and doubles as a regular drill/driver.",
  ],
  "impact-driver": [
    "Drives long deck screws, lag screws and structural screws without stripping heads or straining your wrist.",
    "Built for driving fasteners fast: deck screws, lag bolts, self-tapping screws and concrete screws.",
  ],
  "impact-wrench": [
    "Breaks loose rusted lug nuts and runs large bolts on trailers, decks and machinery.",
    "Made for automotive and heavy equipment work with 1/2 in. drive impact sockets.",
  ],
  "drywall-screw-gun": [
    "The depth-sensitive nosecone sets drywall screws just below the paper face for a clean finish.",
    "Lets one person hang a full sheet of drywall in minutes, with no screws overdriven.",
  ],
  "circular-saw": [
    "Cuts through a 2x4 in a single pass at 90 degrees.",
    "Rips plywood and crosscuts framing lumber such as 2x4 and 2x6 boards.",
  ],
  "reciprocating-saw": [
    "Demolition-ready: cuts nail-embedded wood, PVC, metal pipe and drywall.",
    "Handles remodeling, pruning and cutting out old pipe and framing.",
  ],
  jigsaw: [
    "Makes curved and scroll cuts in wood, laminate and sheet metal.",
    "Cuts sink openings in countertops and curves in plywood and trim.",
  ],
  "random-orbit-sander": [
    "Random orbit action leaves a swirl-free finish on cabinets, trim and furniture.",
    "Sands bare wood, paint and finish between coats without swirl marks.",
  ],
  "angle-grinder": [
    "Cuts rebar, bolts and tile and grinds down welds with the right wheel.",
    "Grinds, cuts and deburrs metal; a paddle switch and anti-kickback brake add control.",
  ],
  "handheld-vacuum": [
    "Cordless hand vacuum for job-site cleanup, car interiors and workshop dust.",
    "Picks up sawdust and drywall dust around the bench without dragging out a hose.",
  ],
  "work-light": [
    "Lights up crawl spaces, attics and job sites where there is no outlet nearby.",
    "A cordless area light for job sites, garages and power outages.",
  ],
};

function toolSpec(cat, s) {
  switch (cat) {
    case "drill-driver":
      return `Delivers up to ${s.torque} in-lbs of torque through a ${s.chuck} ${pick(["keyless", "ratcheting keyless", "single-sleeve"])} chuck, with a 2-speed transmission (${s.rpm} RPM).`;
    case "hammer-drill":
      return `Up to ${s.torque} in-lbs of torque and ${s.bpm} blows per minute in hammer mode, with a ${s.chuck} ratcheting chuck.`;
    case "impact-driver":
      return `Produces ${s.torque} in-lbs of torque and up to ${s.ipm} impacts per minute through a 1/4 in. hex quick-release chuck.`;
    case "impact-wrench":
      return `A 1/2 in. friction-ring anvil delivers up to ${s.torque} ft-lbs of fastening torque and ${s.breakaway} ft-lbs of breakaway torque.`;
    case "drywall-screw-gun":
      return `Runs at up to ${s.rpm} RPM with an adjustable depth-sensitive nosecone and a lock-on trigger.`;
    case "circular-saw":
      return `Spins a ${s.blade} blade on a 5/8 in. arbor for a ${s.depth} cutting depth at 90 degrees and bevels to ${s.bevel} degrees.`;
    case "reciprocating-saw":
      return `${s.stroke} stroke length and up to ${s.spm} strokes per minute, with a tool-free blade clamp for universal-shank blades.`;
    case "jigsaw":
      return `Variable speed up to ${s.spm} strokes per minute, four orbital settings and a tool-free T-shank blade clamp.`;
    case "random-orbit-sander":
      return `A ${s.pad} hook-and-loop pad runs at up to ${s.opm} orbits per minute and takes standard 8-hole sanding discs.`;
    case "angle-grinder":
      return `Runs ${s.wheel} wheels at up to ${s.rpm} RPM on a 5/8-11 spindle, with a tool-free adjustable guard.`;
    case "handheld-vacuum":
      return `Washable ${s.filter} filter and a ${s.capacity} clear dust bin that empties with one button.`;
    case "work-light":
      return `Puts out up to ${s.lumens} lumens from a pivoting LED head with ${s.modes} brightness settings.`;
    default:
      throw new Error(`no spec sentence for ${cat}`);
  }
}

function toolTitle(sku, brand, volt, brushless, name, kit) {
  const bl = brushless ? "Brushless " : "";
  if (brand === "Kestrel") return `Kestrel ${sku} ${volt}V ${bl}${name}${kit ? " Kit" : ""}`;
  if (brand === "Vantor") {
    return `Vantor 20V ${bl}Cordless ${name}${kit ? " Kit" : " (Tool Only)"} ${sku}`;
  }
  return `Boltmann ${sku} ${volt}V ${bl}Cordless ${name}${kit ? " Kit" : " (Bare Tool)"}`;
}

for (const [sku, family, cat, volt, brushless, name, spec, kit] of CORDLESS) {
  const brand = sku.startsWith("KT") ? "Kestrel" : sku.startsWith("VC") ? "Vantor" : "Boltmann";
  const platform = PLATFORM[brand][volt];
  const contents = kit
    ? `Kit includes the tool, ${kit}.`
    : pick([
        "Tool only; battery and charger sold separately.",
        "Bare tool: batteries and charger are not included.",
      ]);
  add({
    sku,
    brand,
    category: cat,
    family,
    title: toolTitle(sku, brand, volt, brushless, name, kit),
    text: compose(
      [toolSpec(cat, spec), pick(TOOL_USE[cat])],
      [
        brushless
          ? "The brushless motor runs cooler and gets more run time per charge than a brushed motor."
          : null,
        `Part of the ${platform} system; runs on any ${platform} battery.`,
        cat !== "work-light" && cat !== "handheld-vacuum"
          ? "A built-in LED lights up the work surface."
          : null,
        `Weighs ${(2 + rand() * 3).toFixed(1)} lbs without the battery.`,
      ],
      [contents],
    ),
    attrs: { cordless: true, volt, brushless, kit: Boolean(kit), spec },
  });
}

// Corded tools from the store's house brand, Merrow: numeric part numbers.
// prettier-ignore
const CORDED = [
  ["2200-118-401", "drill-driver", 7, "3/8 in. Drill/Driver", { torque: 300, chuck: "3/8 in.", rpm: "0-2,500" }],
  ["2200-118-405", "hammer-drill", 8.5, "1/2 in. Hammer Drill", { torque: 500, chuck: "1/2 in.", bpm: "48,000" }],
  ["2200-120-714", "circular-saw", 15, "7-1/4 in. Circular Saw", { blade: "7-1/4 in.", depth: "2-7/16 in.", bevel: 56 }],
  ["2200-121-010", "reciprocating-saw", 10, "Reciprocating Saw", { stroke: "1-1/8 in.", spm: "2,800" }],
  ["2200-122-505", "random-orbit-sander", 2, "5 in. Random Orbit Sander", { pad: "5 in.", opm: "13,000" }],
  ["2200-123-045", "angle-grinder", 6, "4-1/2 in. Angle Grinder", { wheel: "4-1/2 in.", rpm: "11,000" }],
  ["2200-124-005", "jigsaw", 5, "Orbital Jigsaw", { spm: "3,000" }],
];

for (const [sku, cat, amps, name, spec] of CORDED) {
  const specText =
    cat === "drill-driver"
      ? `Up to ${spec.torque} in-lbs of torque from a variable-speed trigger (${spec.rpm} RPM) and a ${spec.chuck} keyless chuck.`
      : toolSpec(cat, spec);
  add({
    sku,
    brand: "Merrow",
    category: cat,
    title: `Merrow ${amps} Amp Corded ${name}`,
    text: compose(
      [
        specText,
        pick(TOOL_USE[cat]),
        `Corded ${amps} amp motor with a 10 ft. cord; no batteries to charge.`,
      ],
      ["Comes with a 1-year limited warranty.", "Includes a storage bag."],
      [`Model ${sku}.`],
    ),
    attrs: { cordless: false, amps, brushless: false, spec },
  });
}

const cordlessTools = (brand, volt) =>
  skusWhere((p) => p.brand === brand && p.attrs.cordless === true && p.attrs.volt === volt);
const bareTools = (brand, volt) =>
  cordlessTools(brand, volt).filter((s) => !bySku.get(s).attrs.kit);

// Batteries, chargers and starter kits: [sku, brand, volt, Ah]
const BATTERIES = [
  ["KT-B12", "Kestrel", 12, 2.0],
  ["KT-B20", "Kestrel", 18, 2.0],
  ["KT-B40", "Kestrel", 18, 4.0],
  ["KT-B50", "Kestrel", 18, 5.0],
  ["VCB203", "Vantor", 20, 2.0],
  ["VCB205", "Vantor", 20, 5.0],
  ["VCB206", "Vantor", 20, 6.0],
  ["BBA12V-20", "Boltmann", 12, 2.0],
  ["BBA18V-20", "Boltmann", 18, 2.0],
  ["BBA18V-40", "Boltmann", 18, 4.0],
  ["BBA18V-80", "Boltmann", 18, 8.0],
];

for (const [sku, brand, volt, ah] of BATTERIES) {
  const platform = PLATFORM[brand][volt];
  const fits = cordlessTools(brand, volt);
  const candidates = bareTools(brand, volt).length >= 2 ? bareTools(brand, volt) : fits;
  const named = sample(candidates, Math.min(3, candidates.length)).map(
    (s) => `${s} ${bySku.get(s).category.replace(/-/g, " ")}`,
  );
  const title =
    brand === "Vantor"
      ? `Vantor 20V ${ah.toFixed(1)}Ah Lithium-Ion Battery ${sku}`
      : `${brand} ${sku} ${volt}V ${ah.toFixed(1)}Ah Lithium-Ion Battery`;
  add({
    sku,
    brand,
    category: "tool-battery",
    title,
    text: compose(
      [
        `Fits every ${platform} tool and charger, including the ${listText(named)}.`,
        ah >= 5
          ? `High-capacity ${ah.toFixed(1)}Ah pack for saws, grinders and all-day drilling.`
          : `Lightweight ${ah.toFixed(1)}Ah pack that keeps drills and drivers compact.`,
      ],
      [
        "A 3-light fuel gauge shows the remaining charge.",
        "No memory effect and minimal self-discharge in storage.",
        "Battery only; charger sold separately.",
      ],
    ),
    compat: fits,
    attrs: { volt, ah },
  });
}

const batteriesOf = (brand, volt) =>
  skusWhere((p) => p.category === "tool-battery" && p.brand === brand && p.attrs.volt === volt);

// [sku, brand, volt, fast]
const CHARGERS = [
  ["KT-C12", "Kestrel", 12, false],
  ["KT-C18", "Kestrel", 18, false],
  ["KT-C18F", "Kestrel", 18, true],
  ["VCB115", "Vantor", 20, false],
  ["VCB118", "Vantor", 20, true],
  ["BAL12-10", "Boltmann", 12, false],
  ["BAL18-20", "Boltmann", 18, false],
  ["BAL18-60", "Boltmann", 18, true],
];

for (const [sku, brand, volt, fast] of CHARGERS) {
  const platform = PLATFORM[brand][volt];
  const batts = batteriesOf(brand, volt);
  add({
    sku,
    brand,
    category: "battery-charger",
    title:
      brand === "Vantor"
        ? `Vantor 20V ${fast ? "Fast " : ""}Battery Charger ${sku}`
        : `${brand} ${sku} ${volt}V ${fast ? "Rapid " : ""}Battery Charger`,
    text: compose(
      [
        `Charges ${platform} batteries, including the ${listText(batts)}.`,
        fast
          ? "Fast charging brings a 4.0Ah pack to full in about 40 minutes, with a fan that cools the pack while it charges."
          : "Charges a 2.0Ah pack in about 60 minutes and a 4.0Ah pack in about 2 hours.",
      ],
      ["Wall-mountable.", "LED indicator shows charging, full and hot/cold delay."],
    ),
    compat: batts,
    attrs: { volt, fast },
  });
}

// Starter kits: [sku, brand, volt, family, contents]
// prettier-ignore
const KITS = [
  ["KT-SK2", "Kestrel", 18, "KT-SK2", "two KT-B40 4.0Ah batteries and a KT-C18F rapid charger", ["KT-B40", "KT-C18F"]],
  ["VCB205-2CK", "Vantor", 20, "VCB205", "two VCB205 5.0Ah batteries and a VCB115 charger", ["VCB205", "VCB115"]],
  ["BSK18-40", "Boltmann", 18, "BSK18-40", "two BBA18V-40 4.0Ah batteries and a BAL18-60 rapid charger", ["BBA18V-40", "BAL18-60"]],
];

for (const [sku, brand, volt, family, contents, parts] of KITS) {
  const platform = PLATFORM[brand][volt];
  add({
    sku,
    brand,
    category: "battery-starter-kit",
    family,
    title:
      brand === "Vantor"
        ? `Vantor 20V Battery and Charger Starter Kit ${sku}`
        : `${brand} ${sku} ${volt}V Battery and Charger Starter Kit`,
    text: compose(
      [
        `Includes ${contents}.`,
        `Powers any ${platform} tool; a good way to turn a bare tool into a kit.`,
      ],
      ["Packs ship partially charged.", "Comes in a cardboard clamshell, no case."],
    ),
    compat: [...cordlessTools(brand, volt), ...parts],
    attrs: { volt },
  });
}

add({
  sku: "KT-BH20",
  brand: "Kestrel",
  category: "tool-accessory",
  title: "Kestrel KT-BH20 Steel Belt Hook and Bit Holder",
  text: compose([
    "Replacement steel belt hook that screws onto the Kestrel KT-2040 drill driver, KT-2060 hammer drill and KT-3010 impact driver.",
    "Mounts on either side; the magnetic bit holder keeps a 2 in. driver bit handy.",
  ]),
  compat: ["KT-2040", "KT-2040X", "KT-2060", "KT-2060X", "KT-3010", "KT-3010X"],
  attrs: { part: "belt-hook" },
});

// Filters for the cordless hand vacuums.
for (const [sku, brand, vac] of [
  ["KT-VF80", "Kestrel", "KT-8010"],
  ["VCV5011", "Vantor", "VCV501HB"],
  ["BFL-10", "Boltmann", "BAS18V-10"],
]) {
  add({
    sku,
    brand,
    category: "vacuum-filter",
    title: `${brand} ${sku} Replacement Filter for ${vac} Handheld Vacuum`,
    text: compose(
      [`Washable pleated replacement filter for the ${brand} ${vac} cordless handheld vacuum.`],
      ["Rinse under the tap and let dry for 24 hours before reinstalling.", "Pack of 2."],
    ),
    compat: [vac],
    attrs: { vacType: "handheld", hepa: false },
  });
}

// ---------------------------------------------------------------------------------------------
// Wet/dry shop vacuums, their filters, bags and hoses (Wendell)
// ---------------------------------------------------------------------------------------------

// [sku, gallons, peak HP, tank]
const VACS = [
  ["WD0620", 6, 3.5, "poly"],
  ["WD1250", 12, 5.0, "poly"],
  ["WD1680", 16, 6.5, "poly"],
  ["WD1690", 16, 6.5, "stainless steel"],
  ["WD1880", 18, 6.5, "poly"],
  ["WD2050", 20, 6.5, "poly"],
];
const VAC_PARTS = {
  WD0620: { filter: "WF0620", bag: null, hose: "1-1/4 in. x 6 ft." },
  WD1250: { filter: "WF1250", bag: "WB-1220", hose: "2-1/2 in. x 7 ft." },
  WD1680: { filter: "WF1680", bag: "WB-1618", hose: "2-1/2 in. x 7 ft." },
  WD1690: { filter: "WF1680", bag: "WB-1618", hose: "2-1/2 in. x 7 ft." },
  WD1880: { filter: "WF1680", bag: "WB-1618", hose: "2-1/2 in. x 8 ft." },
  WD2050: { filter: "WF1250", bag: "WB-1220", hose: "2-1/2 in. x 8 ft." },
};

for (const [sku, gal, hp, tank] of VACS) {
  const parts = VAC_PARTS[sku];
  add({
    sku,
    brand: "Wendell",
    category: "wet-dry-vacuum",
    title: `Wendell ${sku} ${gal} Gallon ${hp} Peak HP ${tank === "stainless steel" ? "Stainless Steel " : ""}Wet/Dry Shop Vacuum`,
    text: compose(
      [
        `${gal}-gallon ${tank} tank picks up wet spills and dry debris in the garage, workshop or basement.`,
        `Uses the ${parts.filter} cartridge filter${parts.bag ? ` and ${parts.bag} dust bags` : ""}.`,
      ],
      [
        `Comes with a ${parts.hose} hose, extension wands and a utility nozzle.`,
        gal >= 12
          ? "Large rear casters and a drain port make emptying the tank easy."
          : "Compact and light enough to carry up a ladder.",
        "The blower port doubles as a leaf blower for clearing decks and walks.",
      ],
    ),
    attrs: { gallons: gal, hp },
  });
}

const vacsFitting = (filterSku) =>
  VACS.map((v) => v[0]).filter((v) => VAC_PARTS[v].filter === filterSku);
const vacsBagging = (bagSku) => VACS.map((v) => v[0]).filter((v) => VAC_PARTS[v].bag === bagSku);

// Cartridge filters: [sku, family, fits-filter-slot, hepa]
for (const [sku, family, slot, hepa] of [
  ["WF0620", "WF0620", "WF0620", false],
  ["WF1250", "WF1250", "WF1250", false],
  ["WF1680", "WF1680", "WF1680", false],
  ["WF1680H", "WF1680", "WF1680", true],
]) {
  const fits = vacsFitting(slot);
  add({
    sku,
    brand: "Wendell",
    category: "vacuum-filter",
    family,
    title: `Wendell ${sku} ${hepa ? "HEPA " : ""}Cartridge Filter for Wet/Dry Vacs`,
    text: compose(
      [
        `Replacement ${hepa ? "HEPA-media " : "pleated paper "}cartridge filter for ${listText(fits)} wet/dry vacuums.`,
        hepa
          ? "Captures 99.97% of particles down to 0.3 microns, including drywall dust and fine ash."
          : "Traps fine dust such as sawdust and drywall dust; remove it or add a foam sleeve for wet pickup.",
      ],
      [
        "Locks on with a twist; no retaining nut needed.",
        "Tap it clean between uses and rinse when clogged.",
      ],
    ),
    compat: fits,
    attrs: { vacType: "wet-dry", hepa },
  });
}

const bigVacs = ["WD1250", "WD1680", "WD1690", "WD1880", "WD2050"];
add({
  sku: "WFS-12",
  brand: "Wendell",
  category: "vacuum-filter",
  title: "Wendell WFS-12 Foam Sleeve Filter for 12-20 Gallon Wet/Dry Vacs",
  text: compose([
    `Foam sleeve filter for wet pickup; fits the ${listText(bigVacs)}.`,
    "Slips over the cage in place of the cartridge filter when you vacuum water.",
  ]),
  compat: bigVacs,
  attrs: { vacType: "wet-dry", hepa: false, foam: true },
});
add({
  sku: "WFS-06",
  brand: "Wendell",
  category: "vacuum-filter",
  title: "Wendell WFS-06 Foam Sleeve Filter for 6 Gallon Wet/Dry Vac",
  text: compose([
    "Foam sleeve filter for wet pickup with the WD0620 portable wet/dry vac.",
    "Washable and reusable.",
  ]),
  compat: ["WD0620"],
  attrs: { vacType: "wet-dry", hepa: false, foam: true },
});

for (const [sku, family, slot, count] of [
  ["WB-1618", "WB-1618", "WB-1618", 2],
  ["WB-1618-5", "WB-1618", "WB-1618", 5],
  ["WB-1220", "WB-1220", "WB-1220", 3],
]) {
  const fits = vacsBagging(slot);
  add({
    sku,
    brand: "Wendell",
    category: "vacuum-bag",
    family,
    title: `Wendell ${sku} Disposable Dust Collection Bags (${count}-Pack)`,
    text: compose(
      [
        `High-efficiency disposable filter bags for ${listText(fits)} shop vacuums.`,
        "Bags keep fine dust off the cartridge filter and make emptying the tank cleaner; for dry pickup only.",
      ],
      ["Tear-resistant two-layer media."],
    ),
    compat: fits,
    attrs: { count },
  });
}

add({
  sku: "WH-2510",
  brand: "Wendell",
  category: "vacuum-hose",
  title: "Wendell WH-2510 2-1/2 in. x 10 ft. Replacement Shop Vac Hose",
  text: compose([
    `Crush-resistant 10ft locking hose for ${listText(bigVacs)} wet/dry vacs.`,
    "Fits 2-1/2 in. accessories and wands.",
  ]),
  compat: bigVacs,
});

// Third-party (house brand) replacement filters that name Wendell models.
add({
  sku: "3300-016-801",
  brand: "Merrow",
  category: "vacuum-filter",
  title: "Merrow Replacement Cartridge Filter for Wendell 16 Gallon Wet/Dry Vacs",
  text: compose(
    [
      "Replacement filter for WD1680 and WD1690 wet/dry vacuums; a lower-cost alternative to the WF1680.",
      "Pleated polyester media can be rinsed and reused.",
    ],
    [],
    ["Model 3300-016-801."],
  ),
  compat: ["WD1680", "WD1690"],
  replaces: ["WF1680"],
  attrs: { vacType: "wet-dry", hepa: false },
});
add({
  sku: "3300-016-802",
  brand: "Merrow",
  category: "vacuum-filter",
  title: "Merrow HEPA Replacement Filter for Wendell 12 and 20 Gallon Wet/Dry Vacs",
  text: compose(
    [
      "HEPA-media replacement filter for WD1250 and WD2050 shop vacuums; replaces the WF1250.",
      "Captures 99.97% of particles down to 0.3 microns.",
    ],
    [],
    ["Model 3300-016-802."],
  ),
  compat: ["WD1250", "WD2050"],
  replaces: ["WF1250"],
  attrs: { vacType: "wet-dry", hepa: true },
});

// ---------------------------------------------------------------------------------------------
// HVAC filters (Airvale)
// ---------------------------------------------------------------------------------------------

const MERV = {
  8: "captures household dust, lint and pollen",
  11: "captures pet dander, mold spores and fine dust, a good choice for allergies",
  13: "captures smoke, smog and bacteria-sized particles for the cleanest air",
};
for (const [w, h, d] of [
  [14, 20, 1],
  [16, 20, 1],
  [16, 25, 1],
  [20, 20, 1],
  [20, 25, 1],
  [16, 25, 4],
  [20, 25, 4],
]) {
  for (const merv of [8, 11, 13]) {
    const size = `${w}x${h}x${d}`;
    const sku = `AV-${w}${h}${d}-M${merv}`;
    const pack = d === 1 ? 4 : 1;
    add({
      sku,
      brand: "Airvale",
      category: "hvac-filter",
      family: `AV-${w}${h}${d}`,
      title: `Airvale ${size} MERV ${merv} Pleated Furnace Air Filter${pack > 1 ? ` (${pack}-Pack)` : ""}`,
      text: compose(
        [
          `Pleated furnace and AC filter, nominal size ${size}, actual size ${(w - 0.3).toFixed(1)} x ${(h - 0.3).toFixed(1)} x ${d === 1 ? "0.75" : "3.75"} in.`,
          `MERV ${merv} ${MERV[merv]}.`,
        ],
        [
          `Replace every ${d === 1 ? "90 days" : "6 to 12 months"} for best airflow.`,
          "Fits most furnaces, air handlers and return-air grilles of this size.",
        ],
        [`Item ${sku}.`],
      ),
      attrs: { size, merv, depth: d },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Water filters (Cascade); refrigerator models are outside brands' and not sold here
// ---------------------------------------------------------------------------------------------

for (const [sku, family, fridges, pack] of [
  ["CW-RF3", "CW-RF3", ["Frostline FRX2650", "Frostline FRX2655", "Frostline FRX2850"], 1],
  ["CW-RF3-3", "CW-RF3", ["Frostline FRX2650", "Frostline FRX2655", "Frostline FRX2850"], 3],
  ["CW-RF5", "CW-RF5", ["Frostline FRX3100", "Frostline FRX3150", "Frostline FRX3160"], 1],
  ["CW-RF7", "CW-RF7", ["Aldor AL-RF900", "Aldor AL-RF910"], 1],
  ["CW-RF8", "CW-RF8", ["Norrland NR26S", "Norrland NR28S", "Norrland NR28F"], 1],
]) {
  add({
    sku,
    brand: "Cascade",
    category: "refrigerator-water-filter",
    family,
    title: `Cascade ${sku} Refrigerator Water Filter${pack > 1 ? ` (${pack}-Pack)` : ""}`,
    text: compose(
      [
        `Replacement water and ice filter for ${listText(fridges)} refrigerators.`,
        "Reduces chlorine taste and odor, lead and cysts; replace every 6 months or 200 gallons.",
      ],
      ["Twist-in design, no tools needed.", "Flush 2 gallons through a new filter before use."],
    ),
    compat: fridges.map((f) => f.split(" ")[1]),
    attrs: { brandFits: fridges[0].split(" ")[0] },
  });
}
add({
  sku: "CW-IL100",
  brand: "Cascade",
  category: "inline-water-filter",
  title: "Cascade CW-IL100 Inline Refrigerator and Ice Maker Water Filter",
  text: compose([
    "Universal inline filter for refrigerators and ice makers without a built-in filter; installs on the 1/4 in. supply line with compression fittings.",
    "Reduces chlorine, sediment and scale for up to 1 year.",
  ]),
});
add({
  sku: "CW-P10",
  brand: "Cascade",
  category: "water-pitcher",
  title: "Cascade CW-P10 10-Cup Water Filter Pitcher",
  text: compose([
    "BPA-free 10-cup pitcher with one CW-PF1 filter included.",
    "Fits in most refrigerator doors; a reminder light shows when to change the filter.",
  ]),
});
add({
  sku: "CW-D18",
  brand: "Cascade",
  category: "water-pitcher",
  title: "Cascade CW-D18 18-Cup Water Filter Dispenser",
  text: compose([
    "18-cup countertop or fridge-shelf dispenser with a spigot; uses CW-PF1 filters.",
    "One filter included.",
  ]),
});
for (const [sku, count] of [
  ["CW-PF1", 1],
  ["CW-PF1-3", 3],
]) {
  add({
    sku,
    brand: "Cascade",
    category: "pitcher-filter",
    family: "CW-PF1",
    title: `Cascade ${sku} Pitcher Replacement Filter${count > 1 ? ` (${count}-Pack)` : ""}`,
    text: compose(
      [
        "Replacement filter for the CW-P10 pitcher and CW-D18 dispenser.",
        "Reduces chlorine taste, copper and mercury; each filter lasts about 40 gallons or 2 months.",
      ],
      ["Soak for 15 minutes before first use."],
    ),
    compat: ["CW-P10", "CW-D18"],
  });
}
add({
  sku: "CW-US200",
  brand: "Cascade",
  category: "under-sink-filter",
  title: "Cascade CW-US200 Under Sink Drinking Water Filtration System",
  text: compose([
    "Two-stage under-sink system with a dedicated drinking water faucet; connects to the 3/8 in. cold water supply.",
    "Reduces lead, chlorine, PFOA/PFOS and sediment; replacement cartridge CW-US200R lasts about 6 months.",
  ]),
  attrs: { replacement: false },
});
add({
  sku: "CW-US200R",
  brand: "Cascade",
  category: "under-sink-filter",
  title: "Cascade CW-US200R Replacement Cartridge Set for CW-US200 Under Sink System",
  text: compose([
    "Replacement sediment and carbon cartridges for the CW-US200 under sink system.",
    "Change both stages every 6 months.",
  ]),
  compat: ["CW-US200"],
  attrs: { replacement: true },
});
for (const [sku, media] of [
  ["CW-WH10S", "sediment"],
  ["CW-WH10C", "carbon"],
]) {
  add({
    sku,
    brand: "Cascade",
    category: "whole-house-filter",
    title: `Cascade ${sku} 10 in. Whole House ${media === "sediment" ? "Sediment" : "Carbon Block"} Filter Cartridge`,
    text: compose([
      `Standard 10 x 2.5 in. ${media === "sediment" ? "5-micron spun polypropylene sediment" : "carbon block"} cartridge for whole house filter housings.`,
      media === "sediment"
        ? "Stops sand, rust and silt before they reach faucets and appliances."
        : "Reduces chlorine taste and odor for the whole house.",
    ]),
    attrs: { media },
  });
}

// ---------------------------------------------------------------------------------------------
// Plumbing: Rotan fittings and valves, Tidewell faucets and parts, Merrow plumbing supplies
// ---------------------------------------------------------------------------------------------

const SIZE = { "02": "1/2", "03": "3/4", "04": "1" };
const BRASS = [
  ["4410", "90-Degree Elbow", "elbow", "FIP x FIP", "turns a run 90 degrees"],
  ["4415", "45-Degree Elbow", "elbow", "FIP x FIP", "makes a gentle 45-degree offset"],
  ["4420", "Tee", "tee", "FIP x FIP x FIP", "branches one line into two"],
  ["4430", "Coupling", "coupling", "FIP x FIP", "joins two lengths of threaded pipe"],
  ["4440", "Hex Nipple", "nipple", "MIP x MIP", "joins two female fittings"],
  ["4450", "Cap", "cap", "FIP", "closes off the end of a threaded pipe"],
];
for (const [series, name, kind, ends, use] of BRASS) {
  for (const code of ["02", "03", "04"]) {
    const size = SIZE[code];
    const sku = `RT.${series}.${code}`;
    add({
      sku,
      brand: "Rotan",
      category: "pipe-fitting",
      family: `RT.${series}`,
      title: `Rotan ${sku} ${size} in. Lead-Free Brass ${name}`,
      text: compose(
        [
          `Lead-free brass ${name.toLowerCase()} with ${size} in. NPT threads (${ends}); ${use}.`,
          "Rated to 200 psi for potable water, air and oil lines.",
        ],
        [
          "Wrap male threads with PTFE tape or use pipe dope before assembly.",
          "Machined and pressure tested; meets NSF/ANSI 61.",
        ],
      ),
      attrs: { material: "brass", kind, size, connection: "threaded" },
    });
  }
}

const PEX = [
  ["6210", "90-Degree Elbow", "elbow"],
  ["6220", "Tee", "tee"],
  ["6230", "Coupling", "coupling"],
];
for (const [series, name, kind] of PEX) {
  for (const code of ["02", "03"]) {
    const size = SIZE[code];
    const sku = `RT.${series}.${code}`;
    add({
      sku,
      brand: "Rotan",
      category: "pex-fitting",
      family: `RT.${series}`,
      title: `Rotan ${sku} ${size} in. PEX Crimp Brass ${name}`,
      text: compose(
        [
          `${size} in. barbed brass ${name.toLowerCase()} for PEX-A, PEX-B and PEX-AL-PEX tubing.`,
          `Seal with ${size} in. copper crimp rings (RT.6290.${code}) and a crimp tool.`,
        ],
        ["Lead-free, for hot and cold potable water.", "Sold in packs of 5."],
      ),
      attrs: { kind, size },
    });
  }
}
for (const code of ["02", "03"]) {
  const size = SIZE[code];
  add({
    sku: `RT.6290.${code}`,
    brand: "Rotan",
    category: "pex-fitting",
    family: "RT.6290",
    title: `Rotan RT.6290.${code} ${size} in. Copper PEX Crimp Rings (25-Pack)`,
    text: compose([
      `Copper crimp rings for ${size} in. PEX barb fittings.`,
      "Check every crimp with the go/no-go gauge that comes with the crimp tool.",
    ]),
    attrs: { kind: "ring", size },
  });
}
add({
  sku: "RT.9000.01",
  brand: "Rotan",
  category: "pex-tool",
  title: "Rotan RT.9000.01 PEX Crimp Tool for 1/2 in. and 3/4 in. Rings",
  text: compose([
    "Compound-leverage crimp tool with interchangeable jaws for 1/2 in. and 3/4 in. copper crimp rings.",
    "Includes a go/no-go gauge.",
  ]),
});

// Valves: [sku, category, title, text, quarterTurn]
// prettier-ignore
const VALVES = [
  ["RT.5110.02", "ball-valve", "Rotan RT.5110.02 1/2 in. Full Port Brass Ball Valve (FIP)", "Full-port lead-free brass ball valve with 1/2 in. female threads and a lever handle. Quarter turn from open to closed.", true],
  ["RT.5110.03", "ball-valve", "Rotan RT.5110.03 3/4 in. Full Port Brass Ball Valve (FIP)", "Full-port lead-free brass ball valve with 3/4 in. female threads and a lever handle. Quarter turn from open to closed; use as a main or branch shutoff.", true],
  ["RT.5120.02", "shutoff-valve", "Rotan RT.5120.02 1/2 in. Sweat x 3/8 in. Compression Quarter-Turn Angle Stop Valve", "Quarter-turn angle stop for sinks and toilets: solders onto 1/2 in. copper and connects a 3/8 in. compression supply line. Chrome-plated brass with a ceramic-free ball design that will not seize.", true],
  ["RT.5125.02", "shutoff-valve", "Rotan RT.5125.02 1/2 in. FIP x 3/8 in. Compression Quarter-Turn Angle Stop Valve", "Threads onto a 1/2 in. male pipe stub-out and feeds a 3/8 in. compression faucet or toilet supply line. Quarter turn to shut off the water under a sink.", true],
  ["RT.5130.02", "shutoff-valve", "Rotan RT.5130.02 1/2 in. FIP x 3/8 in. Compression Quarter-Turn Straight Stop Valve", "Straight-pattern quarter-turn shutoff valve for supplies that come up through the floor. 1/2 in. female pipe thread inlet, 3/8 in. compression outlet.", true],
  ["RT.5135.02", "shutoff-valve", "Rotan RT.5135.02 1/2 in. Sweat x 3/8 in. Compression Multi-Turn Angle Stop Valve", "Traditional multi-turn compression angle stop with a round handle. Solders to 1/2 in. copper; 3/8 in. compression outlet.", false],
  ["RT.5140.02", "shutoff-valve", "Rotan RT.5140.02 1/2 in. PEX Crimp x 3/8 in. Compression Quarter-Turn Angle Stop", "Quarter-turn angle stop with a 1/2 in. PEX crimp inlet and a 3/8 in. compression outlet. Crimp on with an RT.6290.02 ring.", true],
];
for (const [sku, category, title, text, quarterTurn] of VALVES) {
  add({ sku, brand: "Rotan", category, title, text, attrs: { quarterTurn } });
}

// Tidewell faucets: [sku, family, category, title, text, cartridge, pulldown]
// prettier-ignore
const FAUCETS = [
  ["TF-5120", "TF-5120", "kitchen-faucet", "Tidewell TF-5120 Single-Handle Kitchen Faucet, Chrome", "Single-handle kitchen faucet with a 9 in. swivel spout and optional deck plate. Drip-free ceramic TC-51 cartridge; 1.8 gpm.", false],
  ["TF-5120SS", "TF-5120", "kitchen-faucet", "Tidewell TF-5120SS Single-Handle Kitchen Faucet, Stainless", "Stainless finish version of the TF-5120 single-handle kitchen faucet. Drip-free ceramic TC-51 cartridge; spot-resistant finish.", false],
  ["TF-5140", "TF-5140", "kitchen-faucet", "Tidewell TF-5140 Single-Handle Pull-Down Kitchen Faucet", "Pull-down sprayer with stream and spray modes and a magnetic dock. Uses the TC-51 ceramic cartridge; 1.8 gpm.", true],
  ["TF-5160", "TF-5160", "kitchen-faucet", "Tidewell TF-5160 Commercial-Style Pull-Down Kitchen Faucet", "Tall coil-spring pull-down faucet with a two-function sprayhead. 40 mm TC-516 ceramic cartridge.", true],
  ["TF-3310", "TF-3310", "bathroom-faucet", "Tidewell TF-3310 4 in. Centerset Two-Handle Bathroom Faucet", "Two-handle centerset faucet for 3-hole, 4 in. bathroom sinks, with pop-up drain. Quarter-turn ceramic stems TC-33H (hot) and TC-33C (cold).", false],
  ["TF-3320", "TF-3320", "bathroom-faucet", "Tidewell TF-3320 8 in. Widespread Two-Handle Bathroom Faucet", "Widespread faucet for 8 in. to 16 in. sink spreads, with metal pop-up drain. Uses TC-33H and TC-33C quarter-turn stems.", false],
  ["TF-3410", "TF-3410", "bathroom-faucet", "Tidewell TF-3410 Single-Handle Bathroom Faucet", "Single-hole bathroom faucet with an optional 4 in. deck plate. 35 mm TC-34 ceramic cartridge; 1.2 gpm low-flow aerator.", false],
];
for (const [sku, family, category, title, text, pulldown] of FAUCETS) {
  add({ sku, brand: "Tidewell", category, family, title, text, attrs: { pulldown } });
}

// Faucet cartridges: [sku, family, room, fits, title, lead]
// prettier-ignore
const CARTRIDGES = [
  ["TC-51", "TC-51", "kitchen", ["TF-5120", "TF-5120SS", "TF-5140"], "Tidewell TC-51 Ceramic Disc Cartridge for Single-Handle Kitchen Faucets", "Replacement ceramic disc cartridge for the TF-5120, TF-5120SS and TF-5140 kitchen faucets."],
  ["TC-516", "TC-516", "kitchen", ["TF-5160"], "Tidewell TC-516 40 mm Ceramic Cartridge for TF-5160 Kitchen Faucet", "Replacement 40 mm cartridge for the TF-5160 pull-down kitchen faucet."],
  ["TC-33H", "TC-33", "bath", ["TF-3310", "TF-3320"], "Tidewell TC-33H Hot Side Quarter-Turn Ceramic Stem", "Hot-side replacement stem for TF-3310 and TF-3320 two-handle bathroom faucets."],
  ["TC-33C", "TC-33", "bath", ["TF-3310", "TF-3320"], "Tidewell TC-33C Cold Side Quarter-Turn Ceramic Stem", "Cold-side replacement stem for TF-3310 and TF-3320 two-handle bathroom faucets."],
  ["TC-34", "TC-34", "bath", ["TF-3410"], "Tidewell TC-34 35 mm Cartridge for TF-3410 Bathroom Faucet", "Replacement 35 mm ceramic cartridge for the TF-3410 single-handle bathroom faucet."],
];
for (const [sku, family, room, fits, title, lead] of CARTRIDGES) {
  add({
    sku,
    brand: "Tidewell",
    category: "faucet-cartridge",
    family,
    title,
    text: compose(
      [lead, "Replace it when the faucet drips from the spout or leaks around the handle."],
      [
        "Shut off the water at the angle stops before removing the handle.",
        "Includes new O-rings.",
      ],
    ),
    compat: fits,
    attrs: { room },
  });
}
add({
  sku: "4100-220-017",
  brand: "Merrow",
  category: "faucet-cartridge",
  title: "Merrow Replacement Cartridge for Tidewell Single-Handle Kitchen Faucets",
  text: compose(
    [
      "Replaces the Tidewell TC-51 cartridge in TF-5120 and TF-5140 kitchen faucets.",
      "Stops spout drips and handle leaks; ceramic discs with new seals.",
    ],
    [],
    ["Model 4100-220-017."],
  ),
  compat: ["TF-5120", "TF-5120SS", "TF-5140"],
  replaces: ["TC-51"],
  attrs: { room: "kitchen" },
});

// Toilet repair parts
for (const [sku, title, text] of [
  [
    "TFV-400",
    "Tidewell TFV-400 Universal Toilet Fill Valve",
    "Adjustable-height fill valve that fits most two-piece toilets (9 in. to 14 in.). Replaces worn ballcocks that hiss or refill slowly; anti-siphon.",
  ],
  [
    "TFV-410",
    "Tidewell TFV-410 Quiet-Fill Toilet Fill Valve with Refill Clip",
    "Quiet-fill replacement fill valve with an adjustable water level and a refill clip. Fits most toilets; installs without tools.",
  ],
]) {
  add({ sku, brand: "Tidewell", category: "toilet-fill-valve", title, text });
}
for (const [sku, family, size, title] of [
  ["TFL-2", "TFL-2", 2, "Tidewell TFL-2 2 in. Universal Toilet Flapper"],
  ["TFL-2C", "TFL-2", 2, "Tidewell TFL-2C 2 in. Chlorine-Resistant Toilet Flapper"],
  ["TFL-3", "TFL-3", 3, "Tidewell TFL-3 3 in. Toilet Flapper"],
]) {
  add({
    sku,
    brand: "Tidewell",
    category: "toilet-flapper",
    family,
    title,
    text: compose(
      [
        `Replacement flapper for toilets with a ${size} in. flush valve opening.`,
        "Stops a running toilet caused by a worn or warped flapper; adjustable dial sets the flush volume.",
      ],
      [
        sku === "TFL-2C"
          ? "Made of chlorine-resistant rubber for homes that use in-tank cleaners."
          : null,
      ],
    ),
    attrs: { size },
  });
}
// Supply lines: [sku, family, use, length]
for (const [sku, family, use, len] of [
  ["TSL-F12", "TSL-F", "faucet", 12],
  ["TSL-F16", "TSL-F", "faucet", 16],
  ["TSL-F20", "TSL-F", "faucet", 20],
  ["TSL-F30", "TSL-F", "faucet", 30],
  ["TSL-T12", "TSL-T", "toilet", 12],
  ["TSL-T20", "TSL-T", "toilet", 20],
  ["TSL-I60", "TSL-I60", "icemaker", 60],
]) {
  const conn = {
    faucet: "3/8 in. compression x 1/2 in. FIP",
    toilet: "3/8 in. compression x 7/8 in. ballcock",
    icemaker: "1/4 in. compression x 1/4 in. compression",
  }[use];
  add({
    sku,
    brand: "Tidewell",
    category: "supply-line",
    family,
    title: `Tidewell ${sku} ${len} in. Braided Stainless Steel ${use === "icemaker" ? "Ice Maker" : use === "toilet" ? "Toilet" : "Faucet"} Supply Line`,
    text: compose(
      [
        `${conn} braided stainless steel supply line, ${len} in. long.`,
        `Connects a ${use === "icemaker" ? "refrigerator ice maker" : use} to the shutoff valve.`,
      ],
      [
        "Burst-tested to 600 psi.",
        "Hand-tighten plus a quarter turn; no tape needed on compression threads.",
      ],
    ),
    attrs: { use, length: len },
  });
}
for (const [sku, category, title, text, extra] of [
  [
    "4100-300-101",
    "wax-ring",
    "Merrow Standard Toilet Wax Ring",
    "Standard wax ring for 3 in. and 4 in. toilet flanges. Seals the toilet to the drain to stop leaks and sewer gas.",
    {},
  ],
  [
    "4100-300-102",
    "wax-ring",
    "Merrow Extra-Thick Toilet Wax Ring with Flange",
    "Extra-thick wax ring with a plastic horn for recessed flanges or thick tile. Fits 3 in. and 4 in. drains.",
    {},
  ],
  [
    "4100-410-125",
    "p-trap",
    "Merrow 1-1/4 in. White PVC Sink P-Trap Kit",
    "1-1/4 in. P-trap kit for bathroom sinks and lavatories. Slip-joint nuts and washers install by hand.",
    { size: "1-1/4" },
  ],
  [
    "4100-410-150",
    "p-trap",
    "Merrow 1-1/2 in. White PVC Sink P-Trap Kit",
    "1-1/2 in. P-trap kit for kitchen sinks and laundry tubs. Slip-joint nuts and washers install by hand.",
    { size: "1-1/2" },
  ],
  [
    "4100-500-012",
    "thread-sealant",
    "Merrow 1/2 in. x 520 in. PTFE Thread Seal Tape",
    "White PTFE tape for sealing pipe threads on water, air and drain lines. Wrap clockwise 3 to 4 times.",
    { form: "tape" },
  ],
  [
    "4100-500-013",
    "thread-sealant",
    "Merrow 1/2 in. x 260 in. Yellow Gas Line Thread Seal Tape",
    "Double-density yellow PTFE tape for gas pipe threads and water lines.",
    { form: "tape" },
  ],
  [
    "4100-500-020",
    "thread-sealant",
    "Merrow Pipe Thread Sealant Paste (Pipe Dope), 4 oz.",
    "Non-hardening pipe joint compound for metal and plastic threads. Brush-top can.",
    { form: "paste" },
  ],
  [
    "4100-500-030",
    "plumbers-putty",
    "Merrow Plumber's Putty, 14 oz.",
    "Stain-free plumber's putty for sealing sink drains and faucet bases. Stays soft for easy removal.",
    {},
  ],
]) {
  add({ sku, brand: "Merrow", category, title, text: `${text} Model ${sku}.`, attrs: extra });
}

// ---------------------------------------------------------------------------------------------
// Fasteners (Merrow house brand, numeric part numbers) and anchors (Arrowline)
// ---------------------------------------------------------------------------------------------

function fastener(sku, category, family, title, sentences, attrs) {
  add({
    sku,
    brand: "Merrow",
    category,
    family,
    title,
    text: compose(sentences.slice(0, 2), sentences.slice(2), [`Model ${sku}.`]),
    attrs,
  });
}

// Drywall screws: [sku, family, gauge, length, thread, pack]
for (const [sku, family, gauge, len, thread, pack] of [
  ["1000-045-993", "dw-6-114c", 6, "1-1/4", "coarse", "1 lb."],
  ["1000-045-995", "dw-6-114c", 6, "1-1/4", "coarse", "5 lb."],
  ["1000-045-994", "dw-6-158c", 6, "1-5/8", "coarse", "1 lb."],
  ["1000-045-996", "dw-6-158c", 6, "1-5/8", "coarse", "5 lb."],
  ["1000-045-997", "dw-8-2c", 8, "2", "coarse", "1 lb."],
  ["1000-045-981", "dw-6-1f", 6, "1", "fine", "1 lb."],
  ["1000-045-982", "dw-6-114f", 6, "1-1/4", "fine", "1 lb."],
  ["1000-045-983", "dw-6-114f", 6, "1-1/4", "fine", "5 lb."],
]) {
  fastener(
    sku,
    "drywall-screw",
    family,
    `Merrow #${gauge} x ${len} in. ${thread === "coarse" ? "Coarse" : "Fine"} Thread Phillips Bugle-Head Drywall Screws (${pack})`,
    [
      thread === "coarse"
        ? `Coarse thread for hanging drywall on wood studs; ${len} in. length suits ${len === "2" ? "double layers and 5/8 in. board" : "1/2 in. and 5/8 in. board"}.`
        : "Fine thread with a sharp point for hanging drywall on light-gauge steel studs.",
      "The bugle head seats just below the paper face without tearing it.",
      "Black phosphate coating for interior use.",
      "Drive with a #2 Phillips bit or a drywall screw gun.",
    ],
    { thread, gauge, length: len },
  );
}
// Deck screws
for (const [sku, family, gauge, len, pack] of [
  ["1000-046-120", "dk-8-2", 8, "2", "1 lb."],
  ["1000-046-121", "dk-8-2", 8, "2", "5 lb."],
  ["1000-046-124", "dk-8-212", 8, "2-1/2", "1 lb."],
  ["1000-046-125", "dk-8-212", 8, "2-1/2", "5 lb."],
  ["1000-046-130", "dk-10-3", 10, "3", "1 lb."],
  ["1000-046-131", "dk-10-3", 10, "3", "5 lb."],
  ["1000-046-135", "dk-10-312", 10, "3-1/2", "5 lb."],
]) {
  fastener(
    sku,
    "deck-screw",
    family,
    `Merrow #${gauge} x ${len} in. Star Drive Exterior Deck Screws (${pack})`,
    [
      "Tan polymer-coated exterior screws approved for ACQ pressure-treated lumber.",
      `${len} in. length for fastening 5/4 and 2x deck boards to joists; a T25 star bit is included.`,
      "Type-17 cutting point reduces splitting near board ends.",
      "Star drive will not cam out like Phillips.",
    ],
    { gauge, length: len, exterior: true },
  );
}
// Wood screws
for (const [sku, family, gauge, len, finish, pack] of [
  ["1000-047-306", "ws-6-1", 6, "1", "zinc", "100-Pack"],
  ["1000-047-312", "ws-8-114", 8, "1-1/4", "zinc", "100-Pack"],
  ["1000-047-315", "ws-8-112", 8, "1-1/2", "zinc", "100-Pack"],
  ["1000-047-320", "ws-10-2", 10, "2", "zinc", "50-Pack"],
  ["1000-047-412", "wss-8-114", 8, "1-1/4", "stainless", "50-Pack"],
  ["1000-047-420", "wss-8-2", 8, "2", "stainless", "50-Pack"],
]) {
  const stainless = finish === "stainless";
  fastener(
    sku,
    "wood-screw",
    family,
    `Merrow #${gauge} x ${len} in. ${stainless ? "18-8 Stainless Steel" : "Zinc-Plated"} Flat-Head Phillips Wood Screws (${pack})`,
    [
      stainless
        ? "18-8 stainless steel resists rust outdoors, on fences, trim and boat docks."
        : "Zinc-plated for indoor use in cabinets, furniture and trim.",
      "Flat head countersinks flush; partially threaded shank pulls boards together.",
      "Pre-drill hardwoods to avoid splitting.",
    ],
    { gauge, length: len, exterior: stainless },
  );
}
// Lag screws, structural screws
for (const [sku, family, dia, len, pack] of [
  ["1000-052-143", "lag-14-3", "1/4", "3", "25-Pack"],
  ["1000-052-516", "lag-516-312", "5/16", "3-1/2", "25-Pack"],
  ["1000-052-384", "lag-38-4", "3/8", "4", "10-Pack"],
  ["1000-052-385", "lag-38-5", "3/8", "5", "10-Pack"],
  ["1000-052-126", "lag-12-6", "1/2", "6", "5-Pack"],
]) {
  fastener(
    sku,
    "lag-screw",
    family,
    `Merrow ${dia} in. x ${len} in. Hot-Dip Galvanized Hex Lag Screws (${pack})`,
    [
      "Hot-dip galvanized hex-head lag screws for heavy framing, deck posts and ledger boards.",
      `Drive with a socket or impact driver after drilling a pilot hole about two-thirds of the ${dia} in. shank diameter.`,
      "Use a flat washer under the head.",
    ],
    { dia, length: len },
  );
}
for (const [sku, len] of [
  ["1000-053-318", "3-1/8"],
  ["1000-053-400", "4"],
  ["1000-053-600", "6"],
]) {
  fastener(
    sku,
    "structural-screw",
    "structural-516",
    `Merrow 5/16 in. x ${len} in. Structural Wood Screws (12-Pack)`,
    [
      "Code-listed replacement for 1/2 in. lag screws when fastening ledger boards, beams and multi-ply 2x headers.",
      "No pre-drilling: the sharp point and cutting threads drive straight in with an impact driver.",
      "Black E-coat finish rated for pressure-treated lumber.",
    ],
    { length: len },
  );
}
// Bolts, nuts, washers
for (const [sku, family, thread, len] of [
  ["1000-060-142", "hb-14", "1/4-20", "2"],
  ["1000-060-383", "hb-38", "3/8-16", "3"],
  ["1000-060-124", "hb-12", "1/2-13", "4"],
  ["1000-060-126", "hb-12", "1/2-13", "6"],
]) {
  fastener(
    sku,
    "hex-bolt",
    family,
    `Merrow ${thread} x ${len} in. Grade 5 Zinc-Plated Hex Bolts (10-Pack)`,
    [
      `Grade 5 medium-carbon steel hex bolts, ${thread} thread, ${len} in. long.`,
      "For machinery, trailers and through-bolting posts and beams; pair with matching nuts and washers.",
    ],
    { thread, length: len },
  );
}
for (const [sku, family, thread, material, pack] of [
  ["1000-061-014", "hn-14", "1/4-20", "zinc", "25-Pack"],
  ["1000-061-038", "hn-38", "3/8-16", "zinc", "25-Pack"],
  ["1000-061-012", "hn-12", "1/2-13", "zinc", "10-Pack"],
  ["1000-061-514", "hns-14", "1/4-20", "stainless", "25-Pack"],
  ["1000-061-538", "hns-38", "3/8-16", "stainless", "10-Pack"],
]) {
  const stainless = material === "stainless";
  fastener(
    sku,
    "hex-nut",
    family,
    `Merrow ${thread} ${stainless ? "18-8 Stainless Steel" : "Zinc-Plated"} Hex Nuts (${pack})`,
    [
      `${stainless ? "18-8 stainless steel" : "Zinc-plated steel"} finished hex nuts, ${thread} UNC thread.`,
      stainless
        ? "Corrosion resistant for outdoor, marine and food-equipment use."
        : "For general indoor use with grade 2 and grade 5 bolts.",
    ],
    { thread, material },
  );
}
for (const [sku, size, kind] of [
  ["1000-062-014", "1/4", "flat"],
  ["1000-062-038", "3/8", "flat"],
  ["1000-062-012", "1/2", "flat"],
  ["1000-062-114", "1/4", "fender"],
]) {
  fastener(
    sku,
    "washer",
    sku,
    `Merrow ${size} in. Zinc-Plated ${kind === "fender" ? "Fender" : "Flat"} Washers (25-Pack)`,
    [
      kind === "fender"
        ? `Wide ${size} in. fender washers spread the load on thin sheet metal and soft wood.`
        : `Zinc-plated SAE flat washers for ${size} in. bolts and lag screws.`,
      "Sold in packs of 25.",
    ],
    { size, kind },
  );
}
// Joist hangers
for (const [lumber, code] of [
  ["2x4", "204"],
  ["2x6", "206"],
  ["2x8", "208"],
  ["2x10", "210"],
]) {
  const sku = `1000-070-${code}`;
  fastener(
    sku,
    "joist-hanger",
    sku,
    `Merrow ${lumber} G90 Galvanized Face-Mount Joist Hanger`,
    [
      `Face-mount hanger for a single ${lumber} joist, G90 galvanized steel for decks and floors.`,
      "Fasten with 10d common nails or 1-1/2 in. structural connector screws in every hole.",
    ],
    { lumber },
  );
}

// Arrowline anchors: [sku, family, category, wall, rating, title, lead]
// prettier-ignore
const ANCHORS = [
  ["A5-P/6", "A5-P", "drywall-anchor", "drywall", 15, "Arrowline A5-P/6 Ribbed Plastic Anchors with Screws, #6-8 (100-Pack)", "Ribbed plastic anchors for light-duty hanging in drywall, plaster and masonry; drill a 3/16 in. hole."],
  ["A5-P/10", "A5-P", "drywall-anchor", "drywall", 20, "Arrowline A5-P/10 Ribbed Plastic Anchors with Screws, #10-12 (50-Pack)", "Ribbed plastic anchors for curtain rods and towel bars in drywall; drill a 1/4 in. hole."],
  ["A7-B/8", "A7-B", "drywall-anchor", "drywall", 50, "Arrowline A7-B/8 Self-Drilling Zinc Drywall Anchors with Screws, #8 (25-Pack)", "Self-drilling zinc anchors that drive into 1/2 in. drywall with a #2 Phillips bit, no pilot hole."],
  ["A7-B/10", "A7-B", "drywall-anchor", "drywall", 75, "Arrowline A7-B/10 Self-Drilling Zinc Drywall Anchors with Screws, #10 (25-Pack)", "Self-drilling zinc anchors for shelves and mirrors in 1/2 in. drywall; no pilot hole needed."],
  ["A7-B/12", "A7-B", "drywall-anchor", "drywall", 100, "Arrowline A7-B/12 Heavy-Duty Self-Drilling Zinc Drywall Anchors, #12 (10-Pack)", "Heavy-duty self-drilling zinc anchors for TVs, mirrors and cabinets in drywall."],
  ["A7-C/8", "A7-C", "drywall-anchor", "drywall", 25, "Arrowline A7-C/8 Self-Drilling Nylon Drywall Anchors, #8 (25-Pack)", "Nylon self-drilling anchors for pictures and smoke detectors in drywall."],
  ["A7-C/10", "A7-C", "drywall-anchor", "drywall", 35, "Arrowline A7-C/10 Self-Drilling Nylon Drywall Anchors, #10 (25-Pack)", "Nylon self-drilling anchors for light shelves and hooks in drywall."],
  ["A9-T/14", "A9-T", "toggle-bolt", "drywall", 200, "Arrowline A9-T/14 1/4-20 Snap Toggle Bolts (4-Pack)", "Strap toggles for heavy loads in hollow walls: drill a 1/2 in. hole, snap the channel flat and drive the 1/4-20 bolt."],
  ["A9-T/18", "A9-T", "toggle-bolt", "drywall", 120, "Arrowline A9-T/18 1/8 in. Spring Wing Toggle Bolts (10-Pack)", "Spring-wing toggle bolts for ceilings and hollow walls; drill a 3/8 in. hole."],
  ["A3-M/8", "A3-M", "drywall-anchor", "drywall", 55, "Arrowline A3-M/8 Hollow Wall Molly Anchors, #8 (20-Pack)", "Steel molly anchors expand behind the wall for a permanent hold in drywall and plaster."],
  ["A2-W/14", "A2-W", "concrete-anchor", "concrete", 800, "Arrowline A2-W/14 1/4 in. x 2-1/4 in. Zinc Wedge Anchors (10-Pack)", "Wedge anchors for bolting post bases, ledgers and sill plates to solid concrete."],
  ["A2-W/38", "A2-W", "concrete-anchor", "concrete", 1600, "Arrowline A2-W/38 3/8 in. x 3 in. Zinc Wedge Anchors (10-Pack)", "Heavy-duty wedge anchors for post bases, railings and machinery on solid concrete."],
  ["A2-S/316", "A2-S", "concrete-screw", "concrete", 300, "Arrowline A2-S/316 3/16 in. x 2-1/4 in. Blue Concrete Screws (25-Pack)", "Masonry screws drive into a pre-drilled hole in concrete, brick or block; drill bit included."],
];
for (const [sku, family, category, wall, rating, title, lead] of ANCHORS) {
  add({
    sku,
    brand: "Arrowline",
    category,
    family,
    title,
    text: compose(
      [
        lead,
        `Holds up to ${rating} lb in ${wall === "concrete" ? "3,000 psi concrete" : "1/2 in. drywall"}.`,
      ],
      ["Screws or bolts included.", "Rated loads assume a static, shear load."],
    ),
    attrs: { wall, rating },
  });
}

// ---------------------------------------------------------------------------------------------
// Bits, blades, wheels and abrasives (Dentro)
// ---------------------------------------------------------------------------------------------

const circSaws = (blade) =>
  skusWhere((p) => p.category === "circular-saw" && p.attrs.spec?.blade === blade);
const toolsOf = (cat) => skusWhere((p) => p.category === cat);
const namedTools = (skus, k) =>
  sample(
    skus.filter((s) => bySku.get(s).brand !== "Merrow" && !bySku.get(s).attrs.kit),
    k,
  ).map((s) => `${bySku.get(s).brand} ${s}`);

for (const frac of ["1/8", "3/16", "1/4", "5/16", "3/8", "1/2"]) {
  add({
    sku: `DT-HSS-${frac}`,
    brand: "Dentro",
    category: "drill-bit",
    family: "DT-HSS",
    title: `Dentro DT-HSS-${frac} ${frac} in. Black Oxide HSS Twist Drill Bit`,
    text: compose(
      [
        `${frac} in. high-speed steel twist bit with a 135-degree split point that starts without walking.`,
        "Drills wood, plastic and mild steel.",
      ],
      ["Black oxide coating resists rust.", "3-flat shank will not spin in the chuck."],
    ),
    attrs: { type: "hss", size: frac },
  });
}
for (const frac of ["1/4", "3/8"]) {
  add({
    sku: `DT-CO-${frac}`,
    brand: "Dentro",
    category: "drill-bit",
    family: "DT-CO",
    title: `Dentro DT-CO-${frac} ${frac} in. Cobalt Drill Bit for Metal`,
    text: compose([
      `${frac} in. M35 cobalt twist bit for stainless steel, cast iron and hardened metal.`,
      "Holds its edge at high heat; use cutting oil and a slow speed.",
    ]),
    attrs: { type: "cobalt", size: frac },
  });
}
for (const frac of ["3/16", "1/4", "3/8", "1/2"]) {
  add({
    sku: `DT-MAS-${frac}`,
    brand: "Dentro",
    category: "drill-bit",
    family: "DT-MAS",
    title: `Dentro DT-MAS-${frac} ${frac} in. x 6 in. Carbide-Tipped Masonry Drill Bit`,
    text: compose([
      `Carbide-tipped masonry bit for concrete, brick and block; ${frac} in. diameter, 6 in. long.`,
      "Use in a hammer drill for anchor and concrete screw holes.",
    ]),
    attrs: { type: "masonry", size: frac },
  });
}
for (const frac of ["1/2", "3/4", "1"]) {
  add({
    sku: `DT-SPD-${frac}`,
    brand: "Dentro",
    category: "drill-bit",
    family: "DT-SPD",
    title: `Dentro DT-SPD-${frac} ${frac} in. Spade Bit`,
    text: compose([
      `${frac} in. paddle (spade) bit for fast, rough holes through studs and joists for wire and pipe.`,
      "Spurred tips cut cleaner entry holes; 1/4 in. hex shank for drills and impact drivers.",
    ]),
    attrs: { type: "spade", size: frac },
  });
}
for (const [sku, type, title, text] of [
  [
    "DT-SET21",
    "hss",
    "Dentro DT-SET21 21-Piece Black Oxide Drill Bit Set",
    "21 HSS twist bits from 1/16 in. to 3/8 in. in a hard case. For wood, plastic and mild steel.",
  ],
  [
    "DT-SET29",
    "cobalt",
    "Dentro DT-SET29 29-Piece Cobalt Drill Bit Set",
    "29 M35 cobalt bits from 1/16 in. to 1/2 in. by 64ths for stainless steel and hard metals. Metal index case.",
  ],
  [
    "DT-MAS5",
    "masonry",
    "Dentro DT-MAS5 5-Piece Carbide Masonry Drill Bit Set",
    "Masonry bits in 3/16, 1/4, 5/16, 3/8 and 1/2 in. for concrete, brick and block. Use with a hammer drill.",
  ],
  [
    "DT-SPD6",
    "spade",
    "Dentro DT-SPD6 6-Piece Spade Bit Set",
    "Spade bits from 3/8 in. to 1 in. for boring holes through studs and joists. Pouch included.",
  ],
]) {
  add({ sku, brand: "Dentro", category: "drill-bit-set", title, text, attrs: { type } });
}
const impactDrivers = toolsOf("impact-driver");
for (const [sku, family, category, tip, impact, title, text] of [
  [
    "DT-PH2-2",
    "DT-PH2",
    "driver-bit",
    "PH2",
    true,
    "Dentro DT-PH2-2 #2 Phillips 2 in. Impact-Rated Power Bits (2-Pack)",
    "Impact-rated #2 Phillips power bits with a torsion zone that absorbs impact driver spikes.",
  ],
  [
    "DT-PH2-25",
    "DT-PH2",
    "driver-bit",
    "PH2",
    false,
    "Dentro DT-PH2-25 #2 Phillips 1 in. Insert Bits (25-Pack)",
    "Standard #2 Phillips insert bits for drill/drivers and bit holders; bulk tub of 25.",
  ],
  [
    "DT-T25-2",
    "DT-T25",
    "driver-bit",
    "T25",
    true,
    "Dentro DT-T25-2 T25 Star 2 in. Impact-Rated Power Bits (2-Pack)",
    "Impact-rated T25 six-point star bits for deck screws and structural screws.",
  ],
  [
    "DT-SQ2-2",
    "DT-SQ2",
    "driver-bit",
    "SQ2",
    true,
    "Dentro DT-SQ2-2 #2 Square 2 in. Impact-Rated Power Bits (2-Pack)",
    "Impact-rated #2 square-drive bits for cabinet and deck screws.",
  ],
  [
    "DT-IMP40",
    "DT-IMP40",
    "driver-bit-set",
    "mixed",
    true,
    "Dentro DT-IMP40 40-Piece Impact-Rated Driver Bit Set",
    "40 impact-rated Phillips, square, star and hex bits with a magnetic bit holder in a clip-on case.",
  ],
  [
    "DT-BS32",
    "DT-BS32",
    "driver-bit-set",
    "mixed",
    false,
    "Dentro DT-BS32 32-Piece Screwdriver Bit Set",
    "32 standard insert bits with a magnetic bit holder for drills and drivers; not for impact drivers.",
  ],
]) {
  add({
    sku,
    brand: "Dentro",
    category,
    family,
    title,
    text: compose([
      text,
      impact
        ? `1/4 in. hex shank fits any impact driver, such as the ${listText(namedTools(impactDrivers, 2))}.`
        : "1/4 in. hex shank fits quick-change chucks and bit holders.",
    ]),
    attrs: { tip, impactRated: impact },
  });
}
// Circular saw blades: [sku, diameter, teeth]
for (const [sku, blade, teeth] of [
  ["DT-CB6524", "6-1/2 in.", 24],
  ["DT-CB6540", "6-1/2 in.", 40],
  ["DT-CB7224", "7-1/4 in.", 24],
  ["DT-CB7240", "7-1/4 in.", 40],
  ["DT-CB7260", "7-1/4 in.", 60],
]) {
  const fits = circSaws(blade);
  const use =
    teeth >= 60
      ? "Fine-finish blade for plywood, melamine and veneered panels with almost no tear-out"
      : teeth >= 40
        ? "Finish blade for clean crosscuts in plywood, trim and hardwood"
        : "Fast-cutting framing blade for 2x lumber, OSB and rough carpentry";
  add({
    sku,
    brand: "Dentro",
    category: "circular-saw-blade",
    title: `Dentro ${sku} ${blade} ${teeth}-Tooth Carbide Circular Saw Blade`,
    text: compose(
      [
        `${use}.`,
        `${blade} diameter, 5/8 in. arbor; fits ${blade} circular saws such as the ${listText(namedTools(fits, 2))}.`,
      ],
      [
        "Thin kerf reduces the load on cordless saws.",
        "Anti-stick coating reduces heat and pitch buildup.",
      ],
    ),
    compat: fits,
    attrs: { blade, teeth },
  });
}
const recipSaws = toolsOf("reciprocating-saw");
for (const [sku, use, title, text] of [
  [
    "DT-RB6W",
    "wood",
    "Dentro DT-RB6W 6 in. 6 TPI Wood Pruning Reciprocating Saw Blades (5-Pack)",
    "Aggressive 6 TPI blades for green wood, pruning and rough wood cuts.",
  ],
  [
    "DT-RB6M",
    "metal",
    "Dentro DT-RB6M 6 in. 18 TPI Metal Cutting Reciprocating Saw Blades (5-Pack)",
    "Bi-metal 18 TPI blades for metal pipe, conduit, angle iron and sheet metal.",
  ],
  [
    "DT-RB9M",
    "metal",
    "Dentro DT-RB9M 9 in. 14 TPI Thick Metal Reciprocating Saw Blades (5-Pack)",
    "Bi-metal 14 TPI blades for thick-wall pipe, rebar and cast iron.",
  ],
  [
    "DT-RB9D",
    "demolition",
    "Dentro DT-RB9D 9 in. 6/10 TPI Demolition Reciprocating Saw Blades (5-Pack)",
    "Thick bi-metal demolition blades for nail-embedded wood, plaster and occasional metal.",
  ],
  [
    "DT-RB10A",
    "assorted",
    "Dentro DT-RB10A 10-Piece Reciprocating Saw Blade Set",
    "Assorted wood, metal and demolition blades with a storage case.",
  ],
]) {
  add({
    sku,
    brand: "Dentro",
    category: "reciprocating-saw-blade",
    title,
    text: compose([
      text,
      `Universal shank fits all reciprocating saws, including the ${listText(namedTools(recipSaws, 2))}.`,
    ]),
    compat: recipSaws,
    attrs: { use },
  });
}
const jigsaws = toolsOf("jigsaw");
for (const [sku, material, curve, title, text] of [
  [
    "DT-JT101",
    "wood",
    false,
    "Dentro DT-JT101 T-Shank Fast-Cut Wood Jigsaw Blades (5-Pack)",
    "Fast, rough cuts in softwood, plywood and OSB; 6 TPI.",
  ],
  [
    "DT-JT244",
    "wood",
    true,
    "Dentro DT-JT244 T-Shank Scroll Jigsaw Blades for Wood (5-Pack)",
    "Narrow scroll blades for tight curves and circles in wood up to 1-1/2 in. thick.",
  ],
  [
    "DT-JT101F",
    "wood",
    false,
    "Dentro DT-JT101F T-Shank Fine-Finish Wood Jigsaw Blades (5-Pack)",
    "Reverse-tooth blades for splinter-free cuts in laminate countertops and veneered plywood.",
  ],
  [
    "DT-JT118",
    "metal",
    false,
    "Dentro DT-JT118 T-Shank Metal Jigsaw Blades (5-Pack)",
    "21 TPI HSS blades for sheet steel, aluminum and copper.",
  ],
  [
    "DT-JT10A",
    "assorted",
    false,
    "Dentro DT-JT10A 10-Piece T-Shank Jigsaw Blade Assortment",
    "Wood, scroll, fine-finish and metal blades in one pack.",
  ],
]) {
  add({
    sku,
    brand: "Dentro",
    category: "jigsaw-blade",
    title,
    text: compose([
      text,
      `T-shank fits most jigsaws, including the ${listText(namedTools(jigsaws, 2))}.`,
    ]),
    compat: jigsaws,
    attrs: { material, curve },
  });
}
const grinders = toolsOf("angle-grinder");
for (const [sku, family, category, title, text] of [
  [
    "DT-CW45",
    "DT-CW45",
    "cutoff-wheel",
    "Dentro DT-CW45 4-1/2 in. x .045 in. Metal Cut-Off Wheel",
    "Thin .045 in. cut-off wheel for fast cuts in rebar, bolts, sheet metal and stainless steel.",
  ],
  [
    "DT-CW45-10",
    "DT-CW45",
    "cutoff-wheel",
    "Dentro DT-CW45-10 4-1/2 in. Metal Cut-Off Wheels (10-Pack)",
    "Ten .045 in. cut-off wheels for cutting metal, rod and threaded rod.",
  ],
  [
    "DT-CW45M",
    "DT-CW45M",
    "cutoff-wheel",
    "Dentro DT-CW45M 4-1/2 in. Masonry Cut-Off Wheel",
    "Silicon-carbide wheel for cutting brick, block, tile and stone.",
  ],
  [
    "DT-GW45",
    "DT-GW45",
    "grinding-wheel",
    "Dentro DT-GW45 4-1/2 in. x 1/4 in. Metal Grinding Wheel",
    "Type 27 depressed-center wheel for grinding welds, deburring and removing rust.",
  ],
  [
    "DT-FD45-60",
    "DT-FD45",
    "grinding-wheel",
    "Dentro DT-FD45-60 4-1/2 in. 60 Grit Flap Disc",
    "Zirconia flap disc for blending welds and smoothing metal.",
  ],
]) {
  add({
    sku,
    brand: "Dentro",
    category,
    family,
    title,
    text: compose([
      text,
      `7/8 in. arbor fits 4-1/2 in. angle grinders such as the ${listText(namedTools(grinders, 2))}.`,
    ]),
    compat: grinders,
  });
}
const sanders = toolsOf("random-orbit-sander");
for (const grit of [80, 120, 220]) {
  add({
    sku: `DT-SD5-${grit}`,
    brand: "Dentro",
    category: "sanding-disc",
    family: "DT-SD5",
    title: `Dentro DT-SD5-${grit} 5 in. 8-Hole Hook and Loop Sanding Discs, ${grit} Grit (15-Pack)`,
    text: compose([
      `${grit} grit aluminum oxide discs for ${grit <= 80 ? "fast stock removal and stripping paint" : grit <= 120 ? "general sanding and smoothing" : "fine finish sanding between coats"}.`,
      `8-hole hook-and-loop pattern fits 5 in. random orbit sanders, including the ${listText(namedTools(sanders, 2))}.`,
    ]),
    compat: sanders,
    attrs: { grit },
  });
}
add({
  sku: "DT-SD5-AST",
  brand: "Dentro",
  category: "sanding-disc",
  family: "DT-SD5",
  title: "Dentro DT-SD5-AST 5 in. Hook and Loop Sanding Disc Assortment (50-Pack)",
  text: compose([
    "Assorted 60, 80, 120, 150 and 220 grit 5 in. 8-hole discs.",
    "Fits any 5 in. hook-and-loop random orbit sander.",
  ]),
  compat: sanders,
  attrs: { grit: 0 },
});
for (const grit of [120, 220]) {
  add({
    sku: `DT-SS14-${grit}`,
    brand: "Dentro",
    category: "sanding-sheet",
    title: `Dentro DT-SS14-${grit} 1/4 Sheet Sandpaper, ${grit} Grit (25-Pack)`,
    text: compose([
      `Clamp-on 1/4 sheet sandpaper for palm sanders and hand sanding blocks, ${grit} grit.`,
      "Not for hook-and-loop sanders.",
    ]),
    attrs: { grit },
  });
}
for (const [sku, size, use] of [
  ["DT-HS-1-1/2", "1-1/2", "Bores 1-1/2 in. holes for drain pipes and door latch bores."],
  ["DT-HS-2-1/8", "2-1/8", "Standard 2-1/8 in. size for installing door knobs and deadbolts."],
  ["DT-HS-3", "3", "Cuts 3 in. holes for dryer vents and small recessed lights."],
]) {
  add({
    sku,
    brand: "Dentro",
    category: "hole-saw",
    family: "DT-HS",
    title: `Dentro ${sku} ${size} in. Bi-Metal Hole Saw`,
    text: compose([
      use,
      "Bi-metal teeth cut wood, plastic and thin metal; mandrel sold separately.",
    ]),
    attrs: { size, kit: false },
  });
}
add({
  sku: "DT-HSK9",
  brand: "Dentro",
  category: "hole-saw",
  title: "Dentro DT-HSK9 9-Piece Door Lock Installation Hole Saw Kit",
  text: compose([
    "Includes 2-1/8 in. and 1 in. hole saws, mandrel and a jig for installing door knobs and deadbolts.",
    "Bi-metal teeth for wood and metal doors.",
  ]),
  attrs: { size: "2-1/8", kit: true },
});

// ---------------------------------------------------------------------------------------------
// Electrical (Halvard): extension cords, adapters, power strips, wiring devices
// ---------------------------------------------------------------------------------------------

// [sku, gauge, length ft, outdoor]
for (const [sku, gauge, len, outdoor] of [
  ["HX_1606-ID", 16, 6, false],
  ["HX_1610-ID", 16, 10, false],
  ["HX_1615-ID", 16, 15, false],
  ["HX_1625-OD", 16, 25, true],
  ["HX_1650-OD", 16, 50, true],
  ["HX_1425-OD", 14, 25, true],
  ["HX_1450-OD", 14, 50, true],
  ["HX_14100-OD", 14, 100, true],
  ["HX_1250-OD", 12, 50, true],
  ["HX_12100-OD", 12, 100, true],
]) {
  const amps = { 16: 13, 14: 15, 12: 15 }[gauge];
  add({
    sku,
    brand: "Halvard",
    category: "extension-cord",
    title: outdoor
      ? `Halvard ${sku} ${len} ft. ${gauge}/3 Outdoor Extension Cord, Lighted End`
      : `Halvard ${sku} ${len} ft. ${gauge}/3 Indoor Extension Cord, 3 Outlets`,
    text: compose(
      [
        outdoor
          ? `${gauge}-gauge, 3-wire SJTW cord with a water-resistant vinyl jacket rated for outdoor use, ${len} feet long.`
          : `${gauge}-gauge flat-plug indoor cord with three grounded outlets, ${len} feet long.`,
        `Rated ${amps} amps, 125 volts${gauge <= 12 ? " for heavy-duty tools, compressors and generators" : gauge === 14 ? " for power tools and yard equipment" : ""}.`,
      ],
      [
        outdoor ? "The lighted end shows when power is on." : "Fits behind furniture.",
        outdoor ? "Stays flexible down to -40F." : "Not for outdoor use.",
      ],
    ),
    attrs: { gauge, length: len, outdoor },
  });
}
add({
  sku: "HX_CR-14100",
  brand: "Halvard",
  category: "cord-reel",
  title: "Halvard HX_CR-14100 100 ft. 14/3 Outdoor Cord Reel with 4 Outlets",
  text: compose([
    "Retractable reel with 100 ft. of 14/3 outdoor-rated cord and a 4-outlet hub with circuit breaker.",
    "Water-resistant jacket for yard and job-site use.",
  ]),
  attrs: { outdoor: true, length: 100 },
});
// Travel adapters: [sku, plug, region, countries]
for (const [sku, plug, region, where] of [
  [
    "HX_220-B",
    "Type B",
    "north-america",
    "lets visitors plug European and UK devices into US and Canadian outlets",
  ],
  [
    "HX_220-C",
    "Type C",
    "europe",
    "works in most of continental Europe, including France, Spain, Italy and Germany",
  ],
  [
    "HX_220-F",
    "Type E/F (Schuko)",
    "europe",
    "fits grounded outlets in Germany, France, the Netherlands and Scandinavia",
  ],
  ["HX_220-G", "Type G", "uk", "works in the UK, Ireland, Hong Kong and Singapore"],
  ["HX_220-I", "Type I", "oceania", "works in Australia, New Zealand and China"],
  [
    "HX_220-U",
    "universal",
    "worldwide",
    "covers 150+ countries with slide-out US, EU, UK and AU prongs",
  ],
]) {
  add({
    sku,
    brand: "Halvard",
    category: "travel-adapter",
    title:
      plug === "universal"
        ? `Halvard ${sku} Universal Travel Adapter with 2 USB-C Ports`
        : `Halvard ${sku} ${plug} Travel Plug Adapter`,
    text: compose(
      [
        `${plug === "universal" ? "All-in-one travel adapter" : `${plug} plug adapter`} that ${where}.`,
        "Adapter only; it does not convert voltage, so use it with dual-voltage (100-240V) chargers and laptops.",
      ],
      ["Grounded where the plug type allows.", "Pocket size."],
    ),
    attrs: { region },
  });
}
add({
  sku: "HX_2200-VC",
  brand: "Halvard",
  category: "voltage-converter",
  title: "Halvard HX_2200-VC 2000W Step-Down Voltage Converter, 220V to 110V",
  text: compose([
    "Step-down converter for using 110V US appliances such as hair dryers abroad on 220-240V power.",
    "Includes European and UK plug adapters.",
  ]),
});
// Power strips: [sku, outlets, cord ft, surge joules or 0]
for (const [sku, outlets, cord, joules] of [
  ["HX_PS6-4", 6, 4, 0],
  ["HX_PS6-4S", 6, 4, 1080],
  ["HX_PS8-6S", 8, 6, 2160],
  ["HX_PS12-8S", 12, 8, 4000],
]) {
  add({
    sku,
    brand: "Halvard",
    category: "power-strip",
    title: joules
      ? `Halvard ${sku} ${outlets}-Outlet Surge Protector Power Strip, ${cord} ft. Cord, ${joules} Joules`
      : `Halvard ${sku} ${outlets}-Outlet Power Strip, ${cord} ft. Cord`,
    text: compose(
      [
        joules
          ? `${outlets} outlets with ${joules} joules of surge protection for computers, TVs and home office gear.`
          : `Basic ${outlets}-outlet strip with a 15 amp circuit breaker; no surge protection.`,
        outlets >= 12
          ? "Heavy-duty metal housing with a 15 amp breaker, for workbenches and garages."
          : `${cord} ft. cord and a flat rotating plug.`,
      ],
      ["Lighted on/off switch.", "Keyhole slots for wall mounting."],
    ),
    attrs: { outlets, surge: joules > 0 },
  });
}
// Wiring devices: [sku, kind, title, text]
for (const [sku, kind, title, text] of [
  [
    "HX_R15-W",
    "receptacle",
    "Halvard HX_R15-W 15 Amp Duplex Receptacle, White",
    "Standard 15 amp, 125V tamper-resistant duplex outlet. Side and back wiring.",
  ],
  [
    "HX_R20-W",
    "receptacle",
    "Halvard HX_R20-W 20 Amp Duplex Receptacle, White",
    "20 amp tamper-resistant duplex outlet for kitchen and garage circuits on 12-gauge wire.",
  ],
  [
    "HX_GF15-W",
    "gfci",
    "Halvard HX_GF15-W 15 Amp GFCI Outlet, White",
    "Self-testing ground fault circuit interrupter outlet for bathrooms, kitchens, garages and outdoors. Protects downstream outlets too.",
  ],
  [
    "HX_GF20-W",
    "gfci",
    "Halvard HX_GF20-W 20 Amp GFCI Outlet, Weather-Resistant",
    "20 amp weather-resistant GFCI for outdoor, kitchen and bathroom circuits. Trip indicator light.",
  ],
  [
    "HX_USB-CA",
    "usb-outlet",
    "Halvard HX_USB-CA 15 Amp Outlet with USB-C and USB-A Ports",
    "Duplex outlet plus USB-C and USB-A charging ports, 30W total. Fits a standard wall box.",
  ],
  [
    "HX_SW1-W",
    "switch",
    "Halvard HX_SW1-W 15 Amp Single-Pole Toggle Light Switch",
    "Basic single-pole toggle switch for one light from one location.",
  ],
  [
    "HX_DM6-LED",
    "dimmer",
    "Halvard HX_DM6-LED Slide Dimmer Switch for LED and CFL Bulbs",
    "Single-pole or 3-way slide dimmer rated 150W LED/CFL, 600W incandescent. Adjustable low end stops LED flicker.",
  ],
]) {
  add({
    sku,
    brand: "Halvard",
    category: "wiring-device",
    title,
    text: `${text} UL listed; install per local code or hire an electrician.`,
    attrs: { kind },
  });
}
add({
  sku: "HX_310-G",
  brand: "Halvard",
  category: "outlet-adapter",
  title: "Halvard HX_310-G 3-Prong to 2-Prong Grounding Adapter (2-Pack)",
  text: "Lets a 3-prong plug use an older 2-slot outlet; attach the tab to the cover plate screw for grounding. 15 amp, 125V.",
});
add({
  sku: "HX_TM-7D",
  brand: "Halvard",
  category: "outlet-timer",
  title: "Halvard HX_TM-7D 7-Day Digital Outlet Timer",
  text: "Plug-in programmable timer with 20 on/off settings per week for lamps and holiday lights. Random mode for vacation security.",
});

// ---------------------------------------------------------------------------------------------
// Cables, adapters and chargers (Coreline)
// ---------------------------------------------------------------------------------------------

for (const [sku, family, ends, len, watts] of [
  ["CL-UC2C-1M", "CL-UC2C", "USB-C to USB-C", "3.3 ft. (1 m)", 60],
  ["CL-UC2C-2M", "CL-UC2C", "USB-C to USB-C", "6.6 ft. (2 m)", 100],
  ["CL-UC2C-2M-240", "CL-UC2C-240", "USB-C to USB-C", "6.6 ft. (2 m)", 240],
  ["CL-UA2C-1M", "CL-UA2C", "USB-A to USB-C", "3.3 ft. (1 m)", 15],
  ["CL-UA2C-3M", "CL-UA2C", "USB-A to USB-C", "10 ft. (3 m)", 15],
]) {
  add({
    sku,
    brand: "Coreline",
    category: "usb-cable",
    family,
    title: `Coreline ${sku} ${ends} Braided Charging Cable, ${len}`,
    text: compose(
      [
        `${ends} cable, ${len} long, with a nylon-braided jacket.`,
        watts > 15
          ? `Carries up to ${watts}W USB Power Delivery for laptops, tablets and phones, plus USB 2.0 data.`
          : "Charges phones and earbuds from USB-A chargers and computer ports.",
      ],
      ["Tested to 10,000 bends.", "Hook-and-loop cable tie included."],
    ),
    attrs: { ends, watts },
  });
}
for (const [sku, family, ver, lenFt] of [
  ["CL-HD21-3FT", "CL-HD21", "2.1", 3],
  ["CL-HD21-6FT", "CL-HD21", "2.1", 6],
  ["CL-HD21-10FT", "CL-HD21", "2.1", 10],
  ["CL-HD21-15FT", "CL-HD21", "2.1", 15],
  ["CL-HD21-25FT", "CL-HD21", "2.1", 25],
  ["CL-HD20-6FT", "CL-HD20", "2.0", 6],
  ["CL-HD20-15FT", "CL-HD20", "2.0", 15],
]) {
  add({
    sku,
    brand: "Coreline",
    category: "hdmi-cable",
    family,
    title: `Coreline ${sku} ${lenFt} ft. ${ver === "2.1" ? "Ultra High Speed 8K" : "High Speed 4K"} HDMI ${ver} Cable`,
    text: compose(
      [
        ver === "2.1"
          ? `Certified Ultra High Speed HDMI 2.1 cable, ${lenFt} ft., for 8K60 and 4K120 with eARC.`
          : `High Speed HDMI 2.0 cable, ${lenFt} ft., for 4K60 HDR and ARC.`,
        `Connects a TV, soundbar, game console or streaming box${lenFt >= 15 ? " across a room or through a wall" : ""}.`,
      ],
      ["Gold-plated connectors.", "Slim, flexible jacket."],
    ),
    attrs: { version: ver, lengthFt: lenFt },
  });
}
for (const [sku, family, cat, lenFt] of [
  ["CL-C6-3FT", "CL-C6", "Cat6", 3],
  ["CL-C6-10FT", "CL-C6", "Cat6", 10],
  ["CL-C6-25FT", "CL-C6", "Cat6", 25],
  ["CL-C6-50FT", "CL-C6", "Cat6", 50],
  ["CL-C6A-25FT", "CL-C6A", "Cat6A", 25],
  ["CL-C5E-25FT", "CL-C5E", "Cat5e", 25],
]) {
  add({
    sku,
    brand: "Coreline",
    category: "ethernet-cable",
    family,
    title: `Coreline ${sku} ${lenFt} ft. ${cat} Ethernet Patch Cable`,
    text: compose(
      [
        `${cat} snagless patch cable, ${lenFt} ft., for ${cat === "Cat5e" ? "gigabit" : cat === "Cat6A" ? "10 gigabit at full length" : "gigabit and short 10 gigabit"} networks.`,
        "Connects routers, switches, PCs, consoles and smart TVs.",
      ],
      ["Pure copper conductors.", "RJ45 connectors with snagless boots."],
    ),
    attrs: { cat, lengthFt: lenFt },
  });
}
for (const [sku, category, kind, title, text] of [
  [
    "CL-UCHD-4K",
    "video-adapter",
    "usbc-hdmi",
    "Coreline CL-UCHD-4K USB-C to HDMI Adapter, 4K60",
    "Connects a USB-C or Thunderbolt laptop, tablet or phone to an HDMI TV, monitor or projector at 4K 60Hz.",
  ],
  [
    "CL-UCHD-8K",
    "video-adapter",
    "usbc-hdmi",
    "Coreline CL-UCHD-8K USB-C to HDMI 2.1 Adapter, 8K",
    "USB-C to HDMI 2.1 adapter for 8K30 or 4K120 displays from laptops with DisplayPort Alt Mode.",
  ],
  [
    "CL-UCDP",
    "video-adapter",
    "usbc-dp",
    "Coreline CL-UCDP USB-C to DisplayPort Adapter",
    "Drives a DisplayPort monitor at up to 4K 60Hz from a USB-C laptop.",
  ],
  [
    "CL-UC7H",
    "usb-hub",
    "hub",
    "Coreline CL-UC7H 7-in-1 USB-C Hub with HDMI",
    "Adds 4K HDMI, two USB-A ports, SD and microSD readers and 100W pass-through charging to a USB-C laptop.",
  ],
  [
    "CL-UCEN",
    "network-adapter",
    "usbc-ethernet",
    "Coreline CL-UCEN USB-C to Gigabit Ethernet Adapter",
    "Adds a wired RJ45 gigabit port to laptops without one.",
  ],
  [
    "CL-UC2A",
    "usb-adapter",
    "usbc-usba",
    "Coreline CL-UC2A USB-C Male to USB-A Female Adapter (2-Pack)",
    "Plugs USB-A flash drives, mice and keyboards into USB-C laptops and phones.",
  ],
]) {
  add({
    sku,
    brand: "Coreline",
    category,
    title,
    text: compose(
      [text, "Plug and play, no drivers."],
      ["Aluminum housing.", "Works with Windows, macOS, ChromeOS and Android."],
    ),
    attrs: { kind },
  });
}
for (const [sku, category, watts, title, text] of [
  [
    "CL-PD20",
    "usb-charger",
    20,
    "Coreline CL-PD20 20W USB-C Wall Charger",
    "Compact 20W USB-C Power Delivery charger that fast-charges phones to 50% in about 30 minutes.",
  ],
  [
    "CL-PD45",
    "usb-charger",
    45,
    "Coreline CL-PD45 45W USB-C Wall Charger",
    "45W USB-C PD charger for phones, tablets and small laptops.",
  ],
  [
    "CL-PD65",
    "usb-charger",
    65,
    "Coreline CL-PD65 65W 2-Port GaN USB-C Wall Charger",
    "65W GaN charger with two USB-C ports; powers most ultrabooks at full speed.",
  ],
  [
    "CL-PD100",
    "usb-charger",
    100,
    "Coreline CL-PD100 100W 3-Port GaN Charger",
    "100W GaN charger with two USB-C and one USB-A port for laptops, tablets and phones at once.",
  ],
  [
    "CL-CAR30",
    "car-charger",
    30,
    "Coreline CL-CAR30 30W Dual USB Car Charger",
    "Fits a 12V car socket; one USB-C PD and one USB-A port.",
  ],
]) {
  add({
    sku,
    brand: "Coreline",
    category,
    title,
    text: compose(
      [text, "Cable sold separately."],
      ["Foldable prongs.", "Over-temperature and over-current protection."],
    ),
    attrs: { watts },
  });
}

// ---------------------------------------------------------------------------------------------
// Household batteries (Ampwell)
// ---------------------------------------------------------------------------------------------

for (const [sku, family, size, kind, count, use] of [
  ["AW-AA8", "AW-AA", "AA", "alkaline", 8, "remotes, toys and wireless mice"],
  ["AW-AA24", "AW-AA", "AA", "alkaline", 24, "remotes, toys and wireless mice"],
  ["AW-AAA8", "AW-AAA", "AAA", "alkaline", 8, "remotes, thermostats and small flashlights"],
  ["AW-AAA24", "AW-AAA", "AAA", "alkaline", 24, "remotes, thermostats and small flashlights"],
  ["AW-C4", "AW-C4", "C", "alkaline", 4, "lanterns, radios and toys"],
  ["AW-D4", "AW-D4", "D", "alkaline", 4, "large flashlights, lanterns and radios"],
  [
    "AW-9V2",
    "AW-9V",
    "9V",
    "alkaline",
    2,
    "smoke detectors, carbon monoxide alarms and guitar pedals",
  ],
  [
    "AW-2032-2",
    "AW-2032",
    "CR2032",
    "coin",
    2,
    "car key fobs, kitchen scales and Bluetooth item trackers",
  ],
  [
    "AW-2032-4",
    "AW-2032",
    "CR2032",
    "coin",
    4,
    "car key fobs, kitchen scales and Bluetooth item trackers",
  ],
  ["AW-2025-2", "AW-2025", "CR2025", "coin", 2, "car key fobs, glucose meters and watches"],
  ["AW-2016-2", "AW-2016", "CR2016", "coin", 2, "watches, calculators and key fobs"],
  ["AW-RAA4", "AW-RAA4", "AA", "rechargeable", 4, "game controllers, cameras and everyday devices"],
  [
    "AW-RAAA4",
    "AW-RAAA4",
    "AAA",
    "rechargeable",
    4,
    "cordless phones, remotes and wireless keyboards",
  ],
]) {
  const lead =
    kind === "alkaline"
      ? `${size} alkaline batteries for ${use}.`
      : kind === "coin"
        ? `${size} 3V lithium coin cell batteries for ${use}.`
        : `Rechargeable ${size} NiMH batteries for ${use}.`;
  add({
    sku,
    brand: "Ampwell",
    category: kind === "rechargeable" ? "rechargeable-battery" : "household-battery",
    family,
    title: `Ampwell ${sku} ${kind === "rechargeable" ? "Rechargeable " : kind === "coin" ? "Lithium " : ""}${size} Batteries (${count}-Pack)`,
    text: compose(
      [
        lead,
        kind === "alkaline"
          ? `Up to 10-year shelf life.`
          : kind === "coin"
            ? "Child-resistant packaging; 10-year shelf life."
            : `${size === "AA" ? "2,500" : "950"} mAh, pre-charged and rechargeable up to 500 times.`,
      ],
      ["Mercury-free.", "Leak-resistant construction."],
    ),
    attrs: { size, kind, count },
  });
}
add({
  sku: "AW-CH4",
  brand: "Ampwell",
  category: "household-battery-charger",
  title: "Ampwell AW-CH4 AA/AAA Battery Charger with 4 Rechargeable AA Batteries",
  text: compose([
    "Charges 2 or 4 AA or AAA NiMH batteries in about 3 hours; includes four 2,500 mAh rechargeable AA batteries.",
    "Individual charge lights and automatic shutoff.",
  ]),
  attrs: { size: "AA" },
});

// ---------------------------------------------------------------------------------------------
// Lighting (Lumera)
// ---------------------------------------------------------------------------------------------

const CCT = { 27: "2700K soft white", 50: "5000K daylight" };
for (const [watt, code, lumens, real] of [
  [40, "04", 450, 5],
  [60, "06", 800, 8.5],
  [75, "07", 1100, 11],
  [100, "10", 1600, 14],
]) {
  for (const cct of [27, 50]) {
    const sku = `LMA19-${code}${cct}`;
    add({
      sku,
      brand: "Lumera",
      category: "led-bulb",
      family: sku,
      title: `Lumera ${sku} ${watt}-Watt Equivalent A19 Dimmable LED Light Bulb, ${CCT[cct].replace(/^\d+K /, "").replace(/\b\w/g, (c) => c.toUpperCase())}`,
      text: compose(
        [
          `${watt}W-equivalent A19 LED bulb using ${real}W, ${lumens} lumens, ${CCT[cct]}.`,
          cct === 27
            ? "Warm, incandescent-like light for living rooms and bedrooms."
            : "Crisp, bright light for kitchens, garages and task lighting.",
        ],
        ["Dimmable with most LED-compatible dimmers.", "Rated 15,000 hours; E26 medium base."],
      ),
      attrs: { shape: "A19", watt, cct, dimmable: true },
    });
  }
}
for (const cct of [27, 50]) {
  const sku = `LMA19-06${cct}-4`;
  add({
    sku,
    brand: "Lumera",
    category: "led-bulb",
    family: `LMA19-06${cct}`,
    title: `Lumera ${sku} 60-Watt Equivalent A19 Dimmable LED Light Bulbs (4-Pack)`,
    text: compose([
      `Four 60W-equivalent A19 LED bulbs, 800 lumens each, ${CCT[cct]}.`,
      "Dimmable; E26 medium base; uses 8.5W each.",
    ]),
    attrs: { shape: "A19", watt: 60, cct, dimmable: true },
  });
}
for (const [sku, cct, dimmable] of [
  ["LMBR30-6527", 27, true],
  ["LMBR30-6550", 50, true],
  ["LMBR30-6527ND", 27, false],
]) {
  add({
    sku,
    brand: "Lumera",
    category: "led-bulb",
    family: sku.replace(/ND$/, ""),
    title: `Lumera ${sku} 65-Watt Equivalent BR30 ${dimmable ? "Dimmable " : ""}LED Flood Bulb`,
    text: compose(
      [
        `BR30 flood bulb for recessed can lights and track lighting, 650 lumens, ${CCT[cct]}.`,
        dimmable
          ? "Dimmable down to 10% with LED-rated dimmers."
          : "Non-dimmable; for switched fixtures only.",
      ],
      ["Uses 7W.", "Wide 110-degree beam."],
    ),
    attrs: { shape: "BR30", watt: 65, cct, dimmable },
  });
}
for (const [sku, cct] of [
  ["LMPAR38-9030", 30],
  ["LMPAR38-9050", 50],
]) {
  add({
    sku,
    brand: "Lumera",
    category: "led-bulb",
    title: `Lumera ${sku} 90-Watt Equivalent PAR38 Outdoor LED Flood Bulb, ${cct}00K`,
    text: compose([
      `Weatherproof PAR38 flood bulb for outdoor fixtures, 1,300 lumens, ${cct}00K.`,
      "Wet-location rated for uncovered porch and security fixtures.",
    ]),
    attrs: { shape: "PAR38", watt: 90, cct, dimmable: true, outdoor: true },
  });
}
for (const [sku, lenFt, cct] of [
  ["LM-SL4-5K", 4, 50],
  ["LM-SL4-4K", 4, 40],
  ["LM-SL2-5K", 2, 50],
  ["LM-SL8-5K", 8, 50],
]) {
  add({
    sku,
    brand: "Lumera",
    category: "shop-light",
    title: `Lumera ${sku} ${lenFt} ft. LED Shop Light, ${cct}00K${cct === 50 ? " Daylight" : " Cool White"}`,
    text: compose(
      [
        `Linkable ${lenFt} ft. LED shop light, ${lenFt * 1250} lumens, ${cct}00K.`,
        "Hangs from chains or mounts flush in garages, basements and workshops; plug-in with a 5 ft. cord.",
      ],
      ["Link up to 8 fixtures.", "No ballast or tubes to replace."],
    ),
    attrs: { lengthFt: lenFt, cct },
  });
}
for (const [sku, motion, watts] of [
  ["LM-FL30", false, 30],
  ["LM-FL50-MS", true, 50],
  ["LM-FL2H-MS", true, 36],
]) {
  add({
    sku,
    brand: "Lumera",
    category: "flood-light",
    title: `Lumera ${sku} ${watts}W ${sku.includes("2H") ? "Dual-Head " : ""}Outdoor LED Flood Light${motion ? " with Motion Sensor" : ""}`,
    text: compose(
      [
        `${watts}W LED security flood light, ${watts * 100} lumens, 5000K, for garages, driveways and yards.`,
        motion
          ? "Built-in motion sensor with adjustable range and on-time; dusk-to-dawn photocell."
          : "Hardwired, switch-controlled; IP65 weatherproof housing.",
      ],
      ["Mounts to a standard outdoor junction box.", "5-year warranty."],
    ),
    attrs: { motion },
  });
}
for (const [sku, category, rechargeable, title, text] of [
  [
    "LM-FX90",
    "flashlight",
    false,
    "Lumera LM-FX90 90 Lumen AAA Pen Light",
    "Pocket pen light with a clip; runs on two AAA batteries (included).",
  ],
  [
    "LM-FX300",
    "flashlight",
    false,
    "Lumera LM-FX300 300 Lumen LED Flashlight",
    "Aluminum flashlight with a zoom focus; runs on three AA batteries (included).",
  ],
  [
    "LM-FX1200R",
    "flashlight",
    true,
    "Lumera LM-FX1200R 1200 Lumen Rechargeable LED Flashlight",
    "Very bright 1200 lumen flashlight with a USB-C rechargeable battery and a 5-mode switch, for camping, hunting and emergencies.",
  ],
  [
    "LM-FX600R",
    "flashlight",
    true,
    "Lumera LM-FX600R 600 Lumen Rechargeable Tactical Flashlight",
    "Compact 600 lumen rechargeable flashlight with a tail switch and strobe mode; charges by USB-C.",
  ],
  [
    "LM-HL250",
    "headlamp",
    false,
    "Lumera LM-HL250 250 Lumen LED Headlamp",
    "Hands-free headlamp with a red night-vision mode for camping, running and repairs; three AAA batteries included.",
  ],
  [
    "LM-HL400R",
    "headlamp",
    true,
    "Lumera LM-HL400R 400 Lumen Rechargeable Headlamp",
    "Rechargeable headlamp with a motion-sensing on/off and a tilting beam; ideal for camping and trail running.",
  ],
  [
    "LM-LN500",
    "lantern",
    false,
    "Lumera LM-LN500 500 Lumen LED Camping Lantern",
    "360-degree area light for tents and power outages; runs on three D batteries.",
  ],
  [
    "LM-WL20",
    "work-light",
    false,
    "Lumera LM-WL20 2000 Lumen Corded LED Work Light",
    "Portable corded LED work light with a folding stand and 6 ft. cord.",
  ],
  [
    "LM-WL50T",
    "work-light",
    false,
    "Lumera LM-WL50T 5000 Lumen Dual-Head LED Work Light with Tripod",
    "Dual-head corded work light on an adjustable tripod, for job sites and painting.",
  ],
]) {
  add({
    sku,
    brand: "Lumera",
    category,
    title,
    text: compose([text, "Water-resistant (IPX4)."], ["Lifetime LEDs.", "Drop-tested to 1 meter."]),
    attrs: {
      rechargeable,
      lumens: Number(title.match(/(\d+) Lumen/)[1]),
      cordless: category !== "work-light",
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Hand tools (a few, to add near-duplicate titles and tokens)
// ---------------------------------------------------------------------------------------------

for (const [sku, brand, title, text] of [
  [
    "KT-TM25",
    "Kestrel",
    "Kestrel KT-TM25 25 ft. Tape Measure",
    "25 ft. tape with an 11 ft. standout and a magnetic hook. Fractional markings to 1/16 in.",
  ],
  [
    "KT-TM16",
    "Kestrel",
    "Kestrel KT-TM16 16 ft. Compact Tape Measure",
    "Compact 16 ft. tape with a belt clip and fractional markings. Fits in a pocket.",
  ],
  [
    "5000-010-025",
    "Merrow",
    "Merrow 25 ft. Tape Measure",
    "Basic 25 ft. tape measure with a rubber-armored case. Model 5000-010-025.",
  ],
  [
    "5000-020-024",
    "Merrow",
    "Merrow 24 in. Aluminum Box Level",
    "24 in. box level with three vials for framing, shelving and cabinets. Model 5000-020-024.",
  ],
  [
    "VCHT-16",
    "Vantor",
    "Vantor VCHT-16 16 oz. Steel Framing Hammer",
    "One-piece forged steel hammer with a milled face and anti-vibration grip. The magnetic nail starter frees your other hand.",
  ],
]) {
  add({
    sku,
    brand,
    category: title.includes("Tape")
      ? "tape-measure"
      : title.includes("Level")
        ? "level"
        : "hammer",
    title,
    text,
  });
}

// ---------------------------------------------------------------------------------------------
// Hard cases (issue 13): products that name other products' identifiers
// ---------------------------------------------------------------------------------------------
//
// Added after the original catalogue, without drawing on the seeded PRNG, so every product and
// query above keeps its id and split: these products get ids after the original ones (p0426…)
// and their queries after the original queries (q125…). Each case puts the product a query
// names next to products that name it too: accessories, replacement parts and third-party
// batteries and chargers whose text (and often title) says which products they fit; sibling
// SKUs that share a prefix (KT-2040 / KT-2040-SH, WD1680 / WD1680R, X100 / X100-F / X1000,
// AP-120 / AP-120H); and kits next to their bare tools. A query for the product's own
// identifier must find the product; a query that adds what it wants (`x100 filter`) must
// find the accessory.

const ORIGINAL_PRODUCTS = products.length;
const sentences = (...xs) => xs.join(" ");

// Parts and accessories for the Kestrel KT-2040 drill driver and its neighbours.
add({
  sku: "KT-2040-SH",
  brand: "Kestrel",
  category: "tool-accessory",
  title: "Kestrel KT-2040-SH Auxiliary Side Handle for KT-2040 and KT-2060",
  text: sentences(
    "Clamp-on auxiliary side handle for the Kestrel KT-2040 drill driver, the KT-2040X kit and the KT-2060 hammer drill.",
    "Adds control when drilling large holes or mixing with a paddle; the depth rod sets hole depth.",
  ),
  compat: ["KT-2040", "KT-2040X", "KT-2060", "KT-2060X"],
  attrs: { part: "side-handle" },
});
add({
  sku: "KT-CH13",
  brand: "Kestrel",
  category: "tool-accessory",
  title: "Kestrel KT-CH13 1/2 in. Replacement Keyless Chuck for KT-2040 and KT-2060",
  text: sentences(
    "Factory replacement 1/2 in. single-sleeve ratcheting chuck for the KT-2040 and KT-2040X drill drivers and the KT-2060 hammer drill.",
    "Threads onto the 1/2-20 UNF spindle; the left-hand retaining screw is included.",
  ),
  compat: ["KT-2040", "KT-2040X", "KT-2060", "KT-2060X"],
  attrs: { part: "chuck" },
});
// House-brand battery and charger for the Kestrel 18V tools: the titles name the tools.
add({
  sku: "2300-218-040",
  brand: "Merrow",
  category: "tool-battery",
  title: "Merrow 18V 4.0Ah Replacement Battery for Kestrel KT-2040, KT-2060 and KT-3010",
  text: sentences(
    "Compatible replacement battery for Kestrel 18V tools: fits the KT-2040 drill driver, KT-2060 hammer drill, KT-3010 impact driver and KT-4050 circular saw.",
    "Charges on the Kestrel KT-C18 and KT-C18F chargers. Model 2300-218-040.",
  ),
  compat: ["KT-2040", "KT-2040X", "KT-2060", "KT-2060X", "KT-3010", "KT-3010X", "KT-4050"],
  attrs: { volt: 18, ah: 4.0 },
});
add({
  sku: "2300-218-041",
  brand: "Merrow",
  category: "battery-charger",
  title: "Merrow 18V Battery Charger for Kestrel KT-2040 and KT-3010 Batteries",
  text: sentences(
    "Charges the Merrow 2300-218-040 battery and the Kestrel KT-B20, KT-B40 and KT-B50 packs used in the KT-2040 drill driver and KT-3010 impact driver.",
    "Charges a 4.0Ah pack in about 90 minutes. Model 2300-218-041.",
  ),
  compat: ["2300-218-040", "KT-B20", "KT-B40", "KT-B50"],
  attrs: { volt: 18, fast: false },
});
// Wendell's own replacement cartridge for the WD1680: a sibling SKU that names its vacuum.
add({
  sku: "WD1680R",
  brand: "Wendell",
  category: "vacuum-filter",
  title: "Wendell WD1680R Replacement HEPA Cartridge for the WD1680 Shop Vacuum",
  text: sentences(
    "Replacement HEPA-media cartridge filter made for the WD1680 16 gallon wet/dry vacuum; also fits the WD1690.",
    "Captures 99.97% of particles down to 0.3 microns. Reorder it as WD1680R.",
  ),
  compat: ["WD1680", "WD1690"],
  attrs: { vacType: "wet-dry", hepa: true },
});
// The Wendell X100 cordless stick vacuum, its pet edition, filter and battery, and an unrelated
// Lumera X1000 flashlight whose model number starts with X100.
add({
  sku: "X100",
  brand: "Wendell",
  category: "stick-vacuum",
  family: "X100",
  title: "Wendell X100 Cordless Stick Vacuum",
  text: sentences(
    "Lightweight cordless stick vacuum for hard floors and low-pile rugs, with up to 40 minutes of run time.",
    "Converts to a handheld for stairs and car seats. Model X100.",
  ),
  attrs: { cordless: true, pet: false },
});
add({
  sku: "X100P",
  brand: "Wendell",
  category: "stick-vacuum",
  family: "X100",
  title: "Wendell X100P Cordless Stick Vacuum, Pet Edition",
  text: sentences(
    "The X100P is the pet edition of the X100 stick vacuum: a tangle-free brush roll lifts pet hair from carpet and upholstery.",
    "Adds a motorised mini tool and a crevice tool.",
  ),
  attrs: { cordless: true, pet: true },
});
add({
  sku: "X100-F",
  brand: "Wendell",
  category: "vacuum-filter",
  title: "Wendell X100-F HEPA Filter for X100 Stick Vacuums",
  text: sentences(
    "Washable HEPA filter for the Wendell X100 and X100P cordless stick vacuums.",
    "Replace it every 6 months to keep suction strong.",
  ),
  compat: ["X100", "X100P"],
  attrs: { vacType: "stick", hepa: true },
});
add({
  sku: "X100-BT",
  brand: "Wendell",
  category: "vacuum-battery",
  title: "Wendell X100-BT Replacement Battery for X100 Stick Vacuums",
  text: sentences(
    "Click-in 25.2V lithium-ion battery for the Wendell X100 and X100P stick vacuums; a spare doubles the run time.",
    "Charges in the vacuum or on its wall dock.",
  ),
  compat: ["X100", "X100P"],
});
add({
  sku: "X1000",
  brand: "Lumera",
  category: "flashlight",
  title: "Lumera X1000 1000 Lumen Rechargeable LED Flashlight",
  text: sentences(
    "Bright 1000 lumen flashlight with a USB-C rechargeable battery and a side power indicator. Model X1000.",
    "Water-resistant (IPX4).",
  ),
  attrs: { rechargeable: true, lumens: 1000, cordless: true },
});
// An Airvale air purifier and its filters: the filters' SKUs extend the purifier's.
add({
  sku: "AP-120",
  brand: "Airvale",
  category: "air-purifier",
  title: "Airvale AP-120 HEPA Air Purifier for Rooms up to 300 sq. ft.",
  text: sentences(
    "Three-stage air purifier with a true HEPA filter and a carbon pre-filter; removes pollen, pet dander and smoke from bedrooms and offices.",
    "Quiet sleep mode and a filter-change light. Model AP-120.",
  ),
  attrs: { hepa: true },
});
add({
  sku: "AP-120H",
  brand: "Airvale",
  category: "air-purifier-filter",
  title: "Airvale AP-120H Replacement HEPA Filter for AP-120 Air Purifier",
  text: sentences(
    "Genuine true HEPA replacement filter for the Airvale AP-120 air purifier; captures 99.97% of airborne particles.",
    "Replace every 12 months.",
  ),
  compat: ["AP-120"],
  attrs: { hepa: true },
});
add({
  sku: "AP-120C",
  brand: "Airvale",
  category: "air-purifier-filter",
  title: "Airvale AP-120C Carbon Pre-Filter for AP-120 (4-Pack)",
  text: sentences(
    "Activated carbon pre-filters for the Airvale AP-120 air purifier; they trap odours and large particles before the HEPA filter.",
    "Replace every 3 months.",
  ),
  compat: ["AP-120"],
  attrs: { hepa: false },
});

// ---------------------------------------------------------------------------------------------
// Queries and relevance judgments
// ---------------------------------------------------------------------------------------------

const familyOf = (sku) => bySku.get(sku).family;
const membersOf = (family) => skusWhere((p) => p.family === family);

/**
 * Grade map for an exact-identifier query: the product 2; its other family members and the
 * products that are drop-in substitutes for it 1.
 */
function exactGrades(sku) {
  if (!bySku.has(sku)) throw new Error(`query names unknown SKU ${sku}`);
  const g = new Map([[sku, 2]]);
  for (const s of membersOf(familyOf(sku))) if (s !== sku) g.set(s, 1);
  for (const s of skusWhere((p) => p.replaces.includes(sku))) g.set(s, 1);
  return g;
}

/**
 * Grade map for "accessory for <target>": products in `cats` whose compat list names the
 * target (or, for a family/partial target, any member) are 2; products in `relatedCats` that
 * do are 1. With `via`, a product is compatible when it fits something that fits the target
 * (a charger charges a battery that fits the tool).
 */
function accessoryGrades(targets, cats, relatedCats = [], via = false) {
  const fitsTarget = (p) => p.compat.some((c) => targets.includes(c));
  const fitsViaBattery = (p) =>
    p.compat.some(
      (c) => bySku.has(c) && bySku.get(c).category === "tool-battery" && fitsTarget(bySku.get(c)),
    );
  const g = new Map();
  for (const p of products) {
    const ok = fitsTarget(p) || (via && fitsViaBattery(p));
    if (!ok) continue;
    if (cats.includes(p.category)) g.set(p.sku, 2);
    else if (relatedCats.includes(p.category)) g.set(p.sku, 1);
  }
  return g;
}

/**
 * Identifier queries: text, tags, grades and, for a query that names one product, its SKU (the
 * `target` the automatic tags below read).
 */
const idQueries = [];
function idq(text, tags, grades, target = null) {
  idQueries.push({ text, tags: ["identifier", ...tags], grades, target });
}

// Bare identifiers, exactly as printed.
for (const sku of [
  "KT-2040",
  "WD1680",
  "A7-B/12",
  "1000-045-993",
  "HX_220-B",
  "RT.4410.02",
  "VCD791D2",
  "BSR18V-55",
  "WF1680",
  "TC-51",
  "CW-RF3",
  "AW-2032-2",
  "DT-HSS-1/4",
  "LMA19-0627",
  "KT-204",
  "BBA18V-40",
  "AV-16251-M11",
  "2200-120-714",
  "VCB205",
]) {
  idq(sku, ["exact"], exactGrades(sku), sku);
}
// Lower-case, separators dropped: how identifiers are often typed.
for (const sku of [
  "KT-2040",
  "VCD791D2",
  "HX_220-B",
  "RT.4410.02",
  "A7-B/12",
  "1000-045-993",
  "BSR18V-55",
  "WF1680H",
  "KT-2040X",
  "CW-RF3",
  "LMBR30-6527",
  "AW-AA8",
  "DT-CB7240",
]) {
  idq(compact(sku), ["normalized"], exactGrades(sku), sku);
}
// Split at the separators by spaces.
for (const sku of [
  "KT-2040",
  "WD1680",
  "RT.4410.02",
  "HX_220-B",
  "BDR18V-200",
  "A7-B/12",
  "TC-516",
]) {
  idq(spaced(sku), ["split"], exactGrades(sku), sku);
}
// Identifier plus words naming the product.
for (const [text, sku] of [
  ["kestrel kt2040 drill", "KT-2040"],
  ["boltmann BDR18V-200 impact driver", "BDR18V-200"],
  ["rotan RT.4410.03 elbow", "RT.4410.03"],
  ["wendell wd1690 shop vac", "WD1690"],
  ["deck screws 1000-046-125", "1000-046-125"],
]) {
  idq(text, ["with-words"], exactGrades(sku), sku);
}
// Partial model numbers: the family stem; every family member is an exact answer.
for (const [text, family] of [
  ["VCD791", "VCD791"],
  ["VCF887", "VCF887"],
  ["vcd796", "VCD796"],
  ["RT.4420", "RT.4420"],
]) {
  const g = new Map(membersOf(family).map((s) => [s, 2]));
  idq(text, ["partial"], g);
}
// Identifier plus the accessory wanted: compatibility by construction.
const family = (f) => membersOf(f);
for (const [text, targets, cats, related, via] of [
  ["filter for WD1680", ["WD1680"], ["vacuum-filter"], [], false],
  ["VCD791 battery", family("VCD791"), ["tool-battery"], ["battery-starter-kit"], false],
  ["KT-2040 charger", ["KT-2040"], ["battery-charger"], ["battery-starter-kit"], true],
  ["blade for KT-4050", ["KT-4050"], ["circular-saw-blade"], [], false],
  ["cartridge for TF-5120", ["TF-5120"], ["faucet-cartridge"], [], false],
  ["FRX2650 water filter", ["FRX2650"], ["refrigerator-water-filter"], [], false],
  ["charger for BBA18V-40", ["BBA18V-40"], ["battery-charger"], ["battery-starter-kit"], false],
  ["bags for wd1880", ["WD1880"], ["vacuum-bag"], [], false],
  ["kt-8010 filter", ["KT-8010"], ["vacuum-filter"], [], false],
  ["vcs570b blade", ["VCS570B"], ["circular-saw-blade"], [], false],
  ["sanding discs for kt5010", ["KT-5010"], ["sanding-disc"], [], false],
  ["AL-RF900 filter", ["AL-RF900"], ["refrigerator-water-filter"], [], false],
  ["TF-3310 stem", ["TF-3310"], ["faucet-cartridge"], [], false],
  ["battery for bst18v-90", ["BST18V-90"], ["tool-battery"], ["battery-starter-kit"], false],
]) {
  idq(text, ["compatibility"], accessoryGrades(targets, cats, related, via));
}

/**
 * Natural-language queries: [text, extra tags, rule]; the rule maps a product to 2 (a direct
 * answer), 1 (a reasonable but partial answer) or 0, reading only the product model.
 */
const is =
  (...cats) =>
  (p) =>
    cats.includes(p.category);
const NL = [
  [
    "cordless drill for drywall screws",
    [],
    (p) =>
      is("drill-driver", "drywall-screw-gun")(p) && p.attrs.cordless
        ? 2
        : is("impact-driver", "hammer-drill")(p) && p.attrs.cordless
          ? 1
          : 0,
  ],
  [
    "brushless impact driver",
    [],
    (p) => (is("impact-driver")(p) ? (p.attrs.brushless ? 2 : 1) : 0),
  ],
  [
    "what battery fits the kestrel drill?",
    ["question", "compatibility"],
    (p) =>
      // A Kestrel battery, or another brand's battery made to fit Kestrel tools.
      p.brand !== "Kestrel" && !p.compat.some((c) => bySku.get(c)?.brand === "Kestrel")
        ? 0
        : is("tool-battery")(p)
          ? 2
          : is("battery-starter-kit")(p)
            ? 1
            : 0,
  ],
  [
    "which charger works with boltmann 18v batteries?",
    ["question", "compatibility"],
    (p) =>
      p.brand !== "Boltmann" || p.attrs.volt !== 18
        ? 0
        : is("battery-charger")(p)
          ? 2
          : is("battery-starter-kit")(p)
            ? 1
            : 0,
  ],
  [
    "12 volt compact drill",
    [],
    (p) => (p.attrs.volt === 12 ? (is("drill-driver")(p) ? 2 : is("impact-driver")(p) ? 1 : 0) : 0),
  ],
  [
    "hammer drill for drilling into brick",
    [],
    (p) =>
      is("hammer-drill")(p)
        ? 2
        : is("drill-bit", "drill-bit-set")(p) && p.attrs.type === "masonry"
          ? 1
          : 0,
  ],
  ["circular saw that cuts a 2x4 in one pass", [], (p) => (is("circular-saw")(p) ? 2 : 0)],
  [
    "cordless reciprocating saw for demolition",
    [],
    (p) =>
      is("reciprocating-saw")(p)
        ? p.attrs.cordless
          ? 2
          : 1
        : is("reciprocating-saw-blade")(p) && p.attrs.use === "demolition"
          ? 1
          : 0,
  ],
  ["battery powered work light", [], (p) => (is("work-light")(p) ? (p.attrs.cordless ? 2 : 1) : 0)],
  [
    "high capacity battery for vantor 20v tools",
    ["compatibility"],
    (p) =>
      p.brand !== "Vantor"
        ? 0
        : is("tool-battery")(p)
          ? p.attrs.ah >= 5
            ? 2
            : 1
          : is("battery-starter-kit")(p)
            ? 1
            : 0,
  ],
  [
    "replacement filter for a shop vacuum",
    [],
    (p) =>
      is("vacuum-filter")(p) && p.attrs.vacType === "wet-dry" ? 2 : is("vacuum-bag")(p) ? 1 : 0,
  ],
  [
    "what filter fits the wendell 16 gallon vac?",
    ["question", "compatibility"],
    (p) => {
      const fits16 = p.compat.some((c) => bySku.has(c) && bySku.get(c).attrs.gallons === 16);
      return !fits16 ? 0 : is("vacuum-filter")(p) ? 2 : is("vacuum-bag")(p) ? 1 : 0;
    },
  ],
  [
    "hepa filter for wet dry vacuum",
    [],
    (p) =>
      is("vacuum-filter")(p) && p.attrs.vacType === "wet-dry"
        ? p.attrs.hepa
          ? 2
          : p.attrs.foam
            ? 0
            : 1
        : 0,
  ],
  ["replacement bags for shop vac", [], (p) => (is("vacuum-bag")(p) ? 2 : 0)],
  [
    "16x25x1 air filter for allergies",
    [],
    (p) => (is("hvac-filter")(p) && p.attrs.size === "16x25x1" ? (p.attrs.merv >= 11 ? 2 : 1) : 0),
  ],
  [
    "merv 13 furnace filter 20x25",
    [],
    (p) =>
      is("hvac-filter")(p) && p.attrs.size.startsWith("20x25x") ? (p.attrs.merv === 13 ? 2 : 1) : 0,
  ],
  [
    "refrigerator water filter",
    [],
    (p) => (is("refrigerator-water-filter")(p) ? 2 : is("inline-water-filter")(p) ? 1 : 0),
  ],
  [
    "water filter for my frostline fridge",
    ["compatibility"],
    (p) =>
      is("refrigerator-water-filter")(p)
        ? p.attrs.brandFits === "Frostline"
          ? 2
          : 0
        : is("inline-water-filter")(p)
          ? 1
          : 0,
  ],
  [
    "pitcher water filter replacement",
    [],
    (p) => (is("pitcher-filter")(p) ? 2 : is("water-pitcher")(p) ? 1 : 0),
  ],
  [
    "under sink drinking water filter",
    [],
    (p) => (is("under-sink-filter")(p) ? (p.attrs.replacement ? 1 : 2) : 0),
  ],
  [
    "1/2 inch brass elbow fitting",
    [],
    (p) =>
      is("pipe-fitting")(p) && p.attrs.kind === "elbow"
        ? p.attrs.size === "1/2"
          ? 2
          : 1
        : is("pex-fitting")(p) && p.attrs.kind === "elbow" && p.attrs.size === "1/2"
          ? 1
          : 0,
  ],
  [
    "quarter turn shut off valve for sink",
    [],
    (p) => (is("shutoff-valve")(p) ? (p.attrs.quarterTurn ? 2 : 1) : is("ball-valve")(p) ? 1 : 0),
  ],
  [
    "leaking kitchen faucet cartridge replacement",
    [],
    (p) => (is("faucet-cartridge")(p) ? (p.attrs.room === "kitchen" ? 2 : 1) : 0),
  ],
  [
    "how do I fix a dripping bathroom faucet?",
    ["question"],
    (p) =>
      is("faucet-cartridge")(p) && p.attrs.room === "bath" ? 2 : is("bathroom-faucet")(p) ? 1 : 0,
  ],
  [
    "pull down kitchen faucet",
    [],
    (p) => (is("kitchen-faucet")(p) ? (p.attrs.pulldown ? 2 : 1) : 0),
  ],
  [
    "toilet keeps running after flush",
    [],
    (p) => (is("toilet-flapper")(p) ? 2 : is("toilet-fill-valve")(p) ? 1 : 0),
  ],
  [
    "toilet fill valve replacement",
    [],
    (p) => (is("toilet-fill-valve")(p) ? 2 : is("toilet-flapper")(p) ? 1 : 0),
  ],
  [
    "braided faucet supply line 20 inch",
    [],
    (p) => (is("supply-line")(p) && p.attrs.use === "faucet" ? (p.attrs.length === 20 ? 2 : 1) : 0),
  ],
  [
    "3/4 inch pex crimp fittings",
    [],
    (p) => {
      if (is("pex-tool")(p)) return 1;
      if (!is("pex-fitting")(p) || p.attrs.size !== "3/4") return 0;
      return p.attrs.kind === "ring" ? 1 : 2;
    },
  ],
  [
    "tape for sealing pipe threads",
    [],
    (p) => (is("thread-sealant")(p) ? (p.attrs.form === "tape" ? 2 : 1) : 0),
  ],
  [
    "bathroom sink drain trap",
    [],
    (p) => (is("p-trap")(p) ? (p.attrs.size === "1-1/4" ? 2 : 1) : 0),
  ],
  ["screws for hanging drywall", [], (p) => (is("drywall-screw")(p) ? 2 : 0)],
  [
    "drywall screws for metal studs",
    [],
    // coarse-thread screws are sold for wood studs: not an answer
    (p) => (is("drywall-screw")(p) && p.attrs.thread === "fine" ? 2 : 0),
  ],
  [
    "anchors to hang a heavy mirror on drywall",
    [],
    (p) => (is("drywall-anchor", "toggle-bolt")(p) ? (p.attrs.rating >= 75 ? 2 : 1) : 0),
  ],
  [
    "exterior deck screws",
    [],
    (p) => (is("deck-screw")(p) ? 2 : is("wood-screw")(p) && p.attrs.exterior ? 1 : 0),
  ],
  [
    "lag bolts for a deck ledger board",
    [],
    (p) => (is("lag-screw", "structural-screw")(p) ? 2 : is("hex-bolt")(p) ? 1 : 0),
  ],
  [
    "joist hanger for 2x6",
    [],
    (p) => (is("joist-hanger")(p) ? (p.attrs.lumber === "2x6" ? 2 : 1) : 0),
  ],
  [
    "concrete anchors for bolting down a post base",
    [],
    (p) => (is("concrete-anchor")(p) ? 2 : is("concrete-screw")(p) ? 1 : 0),
  ],
  [
    "masonry drill bit for concrete",
    [],
    (p) => (is("drill-bit", "drill-bit-set")(p) && p.attrs.type === "masonry" ? 2 : 0),
  ],
  [
    "drill bits for stainless steel",
    [],
    (p) => {
      if (!is("drill-bit", "drill-bit-set")(p)) return 0;
      return p.attrs.type === "cobalt" ? 2 : 0;
    },
  ],
  [
    "spade bit for drilling holes in studs",
    [],
    (p) => (is("drill-bit", "drill-bit-set")(p) && p.attrs.type === "spade" ? 2 : 0),
  ],
  [
    "impact rated driver bits",
    [],
    (p) => (is("driver-bit", "driver-bit-set")(p) ? (p.attrs.impactRated ? 2 : 1) : 0),
  ],
  [
    "circular saw blade for cutting plywood",
    [],
    (p) => (is("circular-saw-blade")(p) ? (p.attrs.teeth >= 40 ? 2 : 1) : 0),
  ],
  [
    "jigsaw blades for curved cuts in wood",
    [],
    (p) => {
      if (!is("jigsaw-blade")(p)) return 0;
      if (p.attrs.curve) return 2;
      return p.attrs.material === "wood" || p.attrs.material === "assorted" ? 1 : 0;
    },
  ],
  [
    "reciprocating saw blade for metal pipe",
    [],
    (p) => {
      if (!is("reciprocating-saw-blade")(p)) return 0;
      if (p.attrs.use === "metal") return 2;
      return p.attrs.use === "demolition" || p.attrs.use === "assorted" ? 1 : 0;
    },
  ],
  [
    "cutting wheel for angle grinder",
    [],
    (p) => (is("cutoff-wheel")(p) ? 2 : is("grinding-wheel")(p) ? 1 : 0),
  ],
  [
    "sandpaper discs for random orbit sander",
    [],
    (p) => (is("sanding-disc")(p) ? 2 : is("sanding-sheet")(p) ? 1 : 0),
  ],
  [
    "hole saw for installing a door knob",
    [],
    (p) => (is("hole-saw")(p) ? (p.attrs.size === "2-1/8" ? 2 : 0) : 0),
  ],
  [
    "waterproof outdoor extension cord 50 ft",
    [],
    (p) => {
      if (is("cord-reel")(p)) return 1;
      if (!is("extension-cord")(p) || !p.attrs.outdoor) return 0;
      return p.attrs.length === 50 ? 2 : 1;
    },
  ],
  [
    "heavy duty power strip with surge protection",
    [],
    (p) => (is("power-strip")(p) ? (p.attrs.surge ? 2 : 1) : 0),
  ],
  [
    "travel plug adapter for europe",
    [],
    (p) =>
      is("travel-adapter")(p)
        ? p.attrs.region === "europe" || p.attrs.region === "worldwide"
          ? 2
          : 0
        : is("voltage-converter")(p)
          ? 1
          : 0,
  ],
  [
    "gfci outlet for bathroom",
    [],
    (p) =>
      is("wiring-device")(p)
        ? p.attrs.kind === "gfci"
          ? 2
          : p.attrs.kind === "receptacle"
            ? 1
            : 0
        : 0,
  ],
  [
    "usb c to hdmi adapter for laptop",
    [],
    (p) => (is("video-adapter")(p) && p.attrs.kind === "usbc-hdmi" ? 2 : is("usb-hub")(p) ? 1 : 0),
  ],
  [
    "long hdmi cable for tv",
    [],
    (p) => (is("hdmi-cable")(p) ? (p.attrs.lengthFt >= 15 ? 2 : 1) : 0),
  ],
  [
    "cat6 ethernet cable 25 ft",
    [],
    (p) => {
      if (!is("ethernet-cable")(p)) return 0;
      return p.attrs.lengthFt === 25 && p.attrs.cat !== "Cat5e" ? 2 : 1;
    },
  ],
  [
    "fast usb c charger for a laptop",
    [],
    (p) => (is("usb-charger")(p) ? (p.attrs.watts >= 65 ? 2 : 1) : 0),
  ],
  [
    "rechargeable aa batteries",
    [],
    (p) =>
      is("rechargeable-battery")(p)
        ? p.attrs.size === "AA"
          ? 2
          : 1
        : is("household-battery-charger")(p)
          ? 1
          : 0,
  ],
  [
    "coin battery for car key fob",
    [],
    (p) => (is("household-battery")(p) && p.attrs.kind === "coin" ? 2 : 0),
  ],
  [
    "warm white led bulb 60 watt equivalent",
    [],
    (p) => {
      if (!is("led-bulb")(p) || p.attrs.shape !== "A19") return 0;
      const warm = p.attrs.cct === 27;
      const sixty = p.attrs.watt === 60;
      return warm && sixty ? 2 : warm || sixty ? 1 : 0;
    },
  ],
  [
    "dimmable led bulbs for recessed cans",
    [],
    (p) => (is("led-bulb")(p) && p.attrs.shape === "BR30" ? (p.attrs.dimmable ? 2 : 1) : 0),
  ],
  [
    "outdoor motion sensor flood light",
    [],
    (p) =>
      is("flood-light")(p)
        ? p.attrs.motion
          ? 2
          : 1
        : is("led-bulb")(p) && p.attrs.outdoor
          ? 1
          : 0,
  ],
  [
    "bright rechargeable flashlight",
    [],
    (p) => {
      if (is("flashlight")(p)) return p.attrs.rechargeable ? 2 : p.attrs.lumens >= 300 ? 1 : 0;
      return is("headlamp")(p) && p.attrs.rechargeable ? 1 : 0;
    },
  ],
];

const nlQueries = NL.map(([text, tags, rule]) => {
  const grades = new Map();
  for (const p of products) {
    const g = rule(p);
    if (g > 0) grades.set(p.sku, g);
  }
  return { text, tags: ["natural-language", ...tags], grades };
});

/**
 * Hard-case queries (issue 13), kept apart so the original queries keep their ids and split:
 * identifier queries that name a product some other product also names (an accessory, a part, a
 * kit, a sibling SKU), written the ways people type them, and queries whose words ask for the
 * accessory instead. Same grading rules as above.
 */
const hardQueries = [];
function hq(text, tags, grades, target = null) {
  hardQueries.push({ text, tags: ["identifier", ...tags], grades, target });
}
/** Grade map for "<part> for <target>": parts of that kind made to fit the target are 2. */
function partGrades(target, part) {
  return new Map(
    skusWhere((p) => p.attrs.part === part && p.compat.includes(target)).map((s) => [s, 2]),
  );
}
for (const sku of [
  "X100",
  "AP-120",
  "KT-2060",
  "WD1680R",
  "X100-F",
  "KT-2040-SH",
  "BSR18V-55K",
  "X1000",
  "AP-120H",
]) {
  hq(sku, ["exact"], exactGrades(sku), sku);
}
for (const sku of ["AP-120", "KT-3010", "X100-F", "VCD791B", "X100P"]) {
  hq(compact(sku), ["normalized"], exactGrades(sku), sku);
}
for (const [text, sku] of [
  ["ap 120", "AP-120"],
  ["kt 3010", "KT-3010"],
  ["kt 2060", "KT-2060"],
  ["kt 2040 x", "KT-2040X"],
  ["bsr18v 55", "BSR18V-55"],
  ["wd1680 r", "WD1680R"],
  ["x100 f", "X100-F"],
]) {
  hq(text, ["split"], exactGrades(sku), sku);
}
for (const [text, sku] of [
  ["x100 stick vacuum", "X100"],
  ["airvale ap-120 air purifier", "AP-120"],
  ["kt-2060 hammer drill", "KT-2060"],
  ["wd1680 shop vacuum", "WD1680"],
  ["lumera x1000 flashlight", "X1000"],
]) {
  hq(text, ["with-words"], exactGrades(sku), sku);
}
// Codes run together with a word, as typed into a search box without a space.
for (const [text, sku] of [
  ["kt2040drill", "KT-2040"],
  ["x100vacuum", "X100"],
  ["bsr18v55kit", "BSR18V-55K"],
  ["ap120purifier", "AP-120"],
  ["wd1680vac", "WD1680"],
  ["kt3010driver", "KT-3010"],
  ["kt2060hammerdrill", "KT-2060"],
  ["vcd791d2kit", "VCD791D2"],
  ["x1000flashlight", "X1000"],
  ["bsr18v55drill", "BSR18V-55"],
  ["ap120hfilter", "AP-120H"],
  ["wd1680rcartridge", "WD1680R"],
]) {
  hq(text, ["code-in-word"], exactGrades(sku), sku);
}
for (const [text, targets, cats, related] of [
  ["ap120filter", ["AP-120"], ["air-purifier-filter"], []],
  ["wd1680filter", ["WD1680"], ["vacuum-filter"], []],
  ["x100filter", ["X100"], ["vacuum-filter"], []],
  ["kt2040battery", ["KT-2040"], ["tool-battery"], ["battery-starter-kit"]],
]) {
  hq(text, ["code-in-word", "compatibility"], accessoryGrades(targets, cats, related));
}
// The product's identifier plus the accessory wanted: the accessory is the answer, not the product.
for (const [text, targets, cats, related, via] of [
  ["kt2040 battery", ["KT-2040"], ["tool-battery"], ["battery-starter-kit"], false],
  ["x100 filter", ["X100"], ["vacuum-filter"], [], false],
  ["x100 battery", ["X100"], ["vacuum-battery"], [], false],
  ["AP-120 filter", ["AP-120"], ["air-purifier-filter"], [], false],
  ["charger for kt-3010", ["KT-3010"], ["battery-charger"], ["battery-starter-kit"], true],
]) {
  hq(text, ["compatibility"], accessoryGrades(targets, cats, related, via));
}
for (const [text, target, part] of [
  ["kt-2040 chuck", "KT-2040", "chuck"],
  ["side handle for kt2060", "KT-2060", "side-handle"],
  ["belt hook for kt3010", "KT-3010", "belt-hook"],
]) {
  hq(text, ["compatibility"], partGrades(target, part));
}
for (const [text, tags, rule] of [
  [
    "filter for a cordless stick vacuum",
    ["compatibility"],
    (p) => (is("vacuum-filter")(p) && p.attrs.vacType === "stick" ? 2 : 0),
  ],
  [
    "cordless stick vacuum for pet hair",
    [],
    (p) => (is("stick-vacuum")(p) ? (p.attrs.pet ? 2 : 1) : 0),
  ],
  ["spare battery for a stick vacuum", ["compatibility"], (p) => (is("vacuum-battery")(p) ? 2 : 0)],
  ["air purifier for allergies", [], (p) => (is("air-purifier")(p) ? 2 : 0)],
  [
    "replacement hepa filter for an air purifier",
    [],
    (p) => (is("air-purifier-filter")(p) ? (p.attrs.hepa ? 2 : 1) : 0),
  ],
  ["replacement chuck for a cordless drill", [], (p) => (p.attrs.part === "chuck" ? 2 : 0)],
]) {
  const grades = new Map();
  for (const p of products) {
    const g = rule(p);
    if (g > 0) grades.set(p.sku, g);
  }
  hardQueries.push({ text, tags: ["natural-language", ...tags], grades, target: null });
}

// ---------------------------------------------------------------------------------------------
// Assemble, check and write
// ---------------------------------------------------------------------------------------------

function fail(msg) {
  throw new Error(`make-demo: ${msg}`);
}

// Identifiers must be unambiguous even after case and separators are dropped.
{
  const seen = new Map();
  for (const p of products) {
    const k = compact(p.sku);
    if (seen.has(k)) fail(`SKUs ${seen.get(k)} and ${p.sku} collide as "${k}"`);
    seen.set(k, p.sku);
    if (!`${p.title} ${p.text}`.includes(p.sku)) fail(`${p.sku} is not in its own title or text`);
    if (/ [.,](\s|$)| {2}|\.\./.test(`${p.title} ${p.text}`)) fail(`${p.sku}: malformed text`);
  }
}

const originalQueries = [...idQueries, ...nlQueries];
const allQueries = [...originalQueries, ...hardQueries];
for (const q of allQueries) {
  if (q.grades.size === 0) fail(`query "${q.text}" has no relevant document`);
  if (![...q.grades.values()].includes(2) && q.tags[0] === "identifier") {
    fail(`identifier query "${q.text}" has no grade-2 document`);
  }
}
{
  const texts = new Set();
  for (const q of allQueries) {
    if (texts.has(q.text)) fail(`duplicate query text "${q.text}"`);
    texts.add(q.text);
  }
}

// Document ids: products in shuffled order, so ids carry no category information. The hard
// cases are shuffled after the original products with a PRNG of their own, so the original
// products keep their ids (p0001–p0425) and the hard cases follow.
const randHard = mulberry32(SEED + 13);
const docs = [
  ...shuffle(products.slice(0, ORIGINAL_PRODUCTS)),
  ...shuffle(products.slice(ORIGINAL_PRODUCTS), randHard),
];
const docId = new Map(docs.map((p, i) => [p.sku, `p${String(i + 1).padStart(4, "0")}`]));

// Query ids: shuffled so identifier and natural-language queries interleave; the hard-case
// queries likewise follow the original ones (q001–q124).
const queries = [...shuffle(originalQueries), ...shuffle(hardQueries, randHard)].map((q, i) => ({
  ...q,
  id: `q${String(i + 1).padStart(3, "0")}`,
}));

// Stratified split by tag set: within each stratum, a seeded ~30% go to train. The original and
// the hard-case queries are split separately (each with its own PRNG) so the original split
// stays as it was; the automatic tags below are added after the split and do not stratify.
const trainIds = new Set();
for (const [group, r] of [
  [queries.slice(0, originalQueries.length), rand],
  [queries.slice(originalQueries.length), randHard],
]) {
  const strata = new Map();
  for (const q of group) {
    const key = q.tags.join("|");
    if (!strata.has(key)) strata.set(key, []);
    strata.get(key).push(q);
  }
  for (const key of [...strata.keys()].sort()) {
    const members = shuffle(strata.get(key), r);
    const nTrain = Math.round(members.length * TRAIN_FRACTION);
    for (const q of members.slice(0, nTrain)) trainIds.add(q.id);
  }
}

// Automatic tags, read off the product model, so the slices name the hard cases wherever they
// occur (original queries included):
// - owner-vs-accessory: the query names a product whose identifier also appears in the title or
//   text of a product that is not its answer (an accessory, part, kit or substitute naming it);
// - sibling-sku: another product's identifier extends the named one or is a prefix of it, once
//   case and separators are dropped (KT-2040 / KT-2040X, WD1680 / WD1680R, X100 / X1000);
// - identifier-plus-words: an identifier with words beside it, naming the product or the
//   accessory wanted (with-words, code-in-word and compatibility identifier queries).
const escapeRe = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const mentions = (p, sku) =>
  new RegExp(`(?<![A-Za-z0-9])${escapeRe(sku)}(?![A-Za-z0-9])`).test(`${p.title} ${p.text}`);
for (const q of queries) {
  const auto = [];
  if (q.target) {
    const t = q.target;
    const ct = compact(t);
    const named = products.some(
      (p) => p.sku !== t && (q.grades.get(p.sku) ?? 0) < 2 && mentions(p, t),
    );
    if (named) auto.push("owner-vs-accessory");
    const sibling = products.some((p) => {
      const c = compact(p.sku);
      return p.sku !== t && (c.startsWith(ct) || ct.startsWith(c));
    });
    if (sibling) auto.push("sibling-sku");
  }
  const plusWords = ["with-words", "code-in-word", "compatibility"];
  if (q.tags[0] === "identifier" && q.tags.some((t) => plusWords.includes(t))) {
    auto.push("identifier-plus-words");
  }
  q.tags = [...q.tags, ...auto];
}

const jsonl = (rows) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

const corpusRows = [...docs]
  .sort((a, b) => (docId.get(a.sku) < docId.get(b.sku) ? -1 : 1))
  .map((p) => ({
    _id: docId.get(p.sku),
    title: p.title,
    text: p.text,
    metadata: { sku: p.sku, brand: p.brand, category: p.category },
  }));
const queryRows = queries.map((q) => ({ _id: q.id, text: q.text, metadata: { tags: q.tags } }));

function qrelsTsv(split) {
  const lines = ["query-id\tcorpus-id\tscore"];
  for (const q of queries) {
    if (trainIds.has(q.id) !== (split === "train")) continue;
    const rows = [...q.grades].map(([sku, g]) => [docId.get(sku), g]);
    rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [d, g] of rows) lines.push(`${q.id}\t${d}\t${g}`);
  }
  return lines.join("\n") + "\n";
}

// Counts for the README.
const count = (xs, pred) => xs.filter(pred).length;
const tagCounts = new Map();
for (const q of queries) for (const t of q.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
const judgments = queries.flatMap((q) => [...q.grades.values()]);
const categories = new Set(products.map((p) => p.category));
const brands = [...new Set(products.map((p) => p.brand))].sort();
const nTest = queries.length - trainIds.size;
const splitCount = (tag, train) =>
  count(queries, (q) => q.tags[0] === tag && trainIds.has(q.id) === train);

const pad3 = (n) => String(n).padStart(3, "0");
const pad4 = (n) => String(n).padStart(4, "0");
const tagLine = (t, what) => `- \`${t}\` (${tagCounts.get(t) ?? 0}): ${what}`;
const readme = `# pairlift demo collection

**This is a synthetic demo collection written by the pairlift project. Every brand, product,
SKU, part number and model number in it is fictional; it is not real data** and any resemblance
to real products is coincidental. It exists so that \`pairlift eval --dataset data/demo\` has a
small, realistic catalog to index and evaluate: a hardware / electronics / home-tools retailer
whose search must keep finding exact SKUs, part numbers and model numbers (identifier queries)
as well as answer natural-language queries.

Generated by \`node scripts/make-demo.mjs\` (plain Node, no dependencies). The generator is
deterministic (a fixed seed drives a small mulberry32 PRNG), so rerunning it rewrites these
files byte for byte. Do not edit the files by hand; change the generator and rerun it.

## Format (BEIR)

- \`corpus.jsonl\`: ${corpusRows.length} products, one JSON object per line:
  \`{"_id", "title", "text", "metadata": {"sku", "brand", "category"}}\`.
  ${brands.length} fictional brands (${brands.join(", ")}), ${categories.size} categories.
- \`queries.jsonl\`: ${queryRows.length} queries, \`{"_id", "text", "metadata": {"tags": [...]}}\`.
- \`qrels/test.tsv\` (${nTest} queries) and \`qrels/train.tsv\` (${trainIds.size} queries): header
  \`query-id\\tcorpus-id\\tscore\`, tab separated, graded 2 / 1; only relevant pairs are listed
  (${judgments.length} judgments: ${count(judgments, (g) => g === 2)} at grade 2, ${count(judgments, (g) => g === 1)} at grade 1).
  The split is stratified by tag set, about 70% test / 30% train
  (identifier: ${splitCount("identifier", false)} test / ${splitCount("identifier", true)} train;
  natural-language: ${splitCount("natural-language", false)} test / ${splitCount("natural-language", true)} train).
- Ids: the original catalogue is \`p0001\`–\`p${pad4(ORIGINAL_PRODUCTS)}\` with queries \`q001\`–\`q${pad3(originalQueries.length)}\`;
  the hard cases below (${products.length - ORIGINAL_PRODUCTS} products, ${hardQueries.length} queries) follow as \`p${pad4(ORIGINAL_PRODUCTS + 1)}\`–\`p${pad4(products.length)}\` and
  \`q${pad3(originalQueries.length + 1)}\`–\`q${pad3(queries.length)}\`, drawn and split with a PRNG of their own, so adding them changed
  no earlier id or split (it did add judgments to earlier queries where a new product answers them).

## What makes it hard

Identifiers come in many shapes: \`KT-2040\`, \`WD1680\`, \`A7-B/12\`, \`1000-045-993\`, \`HX_220-B\`,
\`RT.4410.02\`, \`VCD791D2\`, \`BSR18V-55\`, \`DT-HSS-1/4\`. Near-duplicates sit side by side
(\`KT-2040\` / \`KT-2040X\` / \`KT-204\` / \`KT-2400\`, \`WD1680\` / \`WF1680\` / \`WF1680H\`,
\`TC-51\` / \`TC-516\`, \`1000-045-993\` / \`1000-045-994\`), accessories name the products they fit
(a filter's text says "for WD1680, WD1690 and WD1880"), and many titles share most of their words
(pack sizes, MERV ratings, fitting sizes). A word-splitting tokenizer turns \`KT-2040\` into
\`kt\` + \`2040\`, which also matches accessories that mention KT-2040, and cannot match \`kt2040\` at all.

The hard cases (issue 13: an exact product lookup must find the product, not what names it) put
each named product next to products that name it too:

- **Accessories, parts, kits and third-party batteries and chargers that name the products they
  fit**, often in the title: the KT-BH20 belt hook, KT-CH13 chuck and KT-2040-SH side handle for the
  KT-2040 and KT-2060, a house-brand battery "for Kestrel KT-2040, KT-2060 and KT-3010" and its
  charger, the X100-F filter and X100-BT battery for the X100, the AP-120H and AP-120C filters for
  the AP-120.
  A query for the product's identifier (\`kt2040\`, \`X100\`, \`ap 120\`) wants the product (2);
  the accessory is not relevant, a kit or edition of the same product is 1.
- **Sibling SKUs that share a prefix**: \`KT-2040\` / \`KT-2040X\` (kit) / \`KT-2040-SH\` (side handle),
  \`WD1680\` / \`WD1680R\` (replacement cartridge), \`X100\` / \`X100P\` / \`X100-F\` / \`X100-BT\` and an
  unrelated \`X1000\` flashlight, \`AP-120\` / \`AP-120H\` / \`AP-120C\`, \`BSR18V-55\` (bare tool) /
  \`BSR18V-55K\` (kit).
- **Identifiers typed other ways**: run together with a word (\`kt2040drill\`, \`bsr18v55kit\`),
  split by spaces (\`kt 2040 x\`, \`wd1680 r\`), and with words that ask for the accessory instead
  (\`x100 filter\`, \`kt-2040 chuck\`, \`side handle for kt2060\`: the accessory is the answer, 2).

## Query tags

Every query's first tag is \`identifier\` (${tagCounts.get("identifier")}) or \`natural-language\` (${tagCounts.get("natural-language")}).
Further tags:

${tagLine("exact", "an identifier exactly as printed (`KT-2040`)")}
${tagLine("normalized", "lower case with separators dropped (`kt2040`, `rt441002`)")}
${tagLine("split", "split at separators by spaces (`kt 2040`, `rt 4410 02`)")}
${tagLine("with-words", "an identifier plus words naming the product (`kestrel kt2040 drill`)")}
${tagLine("partial", "a model-family stem (`VCD791` for `VCD791D2` and `VCD791B`)")}
${tagLine("compatibility", "an accessory wanted for a product (`filter for WD1680`, `VCD791 battery`), or a natural-language fit question")}
${tagLine("code-in-word", "an identifier run together with a word (`kt2040drill`, `ap120filter`)")}
${tagLine("question", "a natural-language question (`what battery fits the kestrel drill?`)")}

Added automatically from the product model (after the split, which they do not stratify), on the
original queries as well as the hard cases:

${tagLine("owner-vs-accessory", "the query names a product whose identifier also appears in the title or text of a product that is not its answer: an accessory, part, kit or substitute that names it (`kt2040`, `X100`)")}
${tagLine("sibling-sku", "another product's identifier extends the named one or is a prefix of it once case and separators are dropped (`KT-2040` / `KT-2040X`, `WD1680` / `WD1680R`, `X100` / `X1000`)")}
${tagLine("identifier-plus-words", "an identifier with words beside it, naming the product or the accessory wanted (the `with-words`, `code-in-word` and identifier `compatibility` queries: `kestrel kt2040 drill`, `VCD791 battery`)")}

## Grading rules

Judgments are derived from the generator's product model (SKU, model family, compatibility
list, attributes), never guessed. A *family* is a set of variants a retailer shows on one
product page: kit vs bare tool, pack size, finish, fitting or bit size, MERV rating of one
filter size.

- **Identifier queries naming a product** (\`exact\`, \`normalized\`, \`split\`, \`with-words\`,
  \`code-in-word\` without \`compatibility\`): the
  product with that identifier is 2; the other members of its family, and products sold as a
  drop-in substitute for it (a house-brand cartridge that "replaces the TC-51"), are 1.
  Accessories and tools that merely mention the identifier are not relevant.
- **Partial identifiers** (\`partial\`): every member of the named family is 2.
- **Identifier + accessory** (\`compatibility\`): products of the requested kind whose
  compatibility list contains the named product (or a member of the named family) are 2; for
  battery and charger queries, battery-and-charger starter kits that fit are 1. For a charger
  query, a charger is compatible when it charges a battery that fits the tool. A part query
  (\`kt-2040 chuck\`, \`side handle for kt2060\`, \`belt hook for kt3010\`): parts of that kind made
  to fit the named product are 2. The named product itself is not relevant to any of these.
- **Natural-language queries**: each query has a rule over product category and attributes
  (for example "waterproof outdoor extension cord 50 ft": outdoor-rated extension cords of 50 ft
  are 2, other outdoor cords and cord reels are 1). Products matching the intent exactly are 2;
  products that are a reasonable partial answer are 1.
- Unlisted pairs are not relevant (0).
`;

const outDir = process.argv[2] ?? fileURLToPath(new URL("../data/demo/", import.meta.url));
mkdirSync(join(outDir, "qrels"), { recursive: true });
writeFileSync(join(outDir, "corpus.jsonl"), jsonl(corpusRows));
writeFileSync(join(outDir, "queries.jsonl"), jsonl(queryRows));
writeFileSync(join(outDir, "qrels", "test.tsv"), qrelsTsv("test"));
writeFileSync(join(outDir, "qrels", "train.tsv"), qrelsTsv("train"));
writeFileSync(join(outDir, "README.md"), readme);

console.log(
  `make-demo: wrote ${corpusRows.length} documents, ${queryRows.length} queries ` +
    `(${tagCounts.get("identifier")} identifier, ${tagCounts.get("natural-language")} natural-language), ` +
    `${judgments.length} judgments (${nTest} test / ${trainIds.size} train queries) to ${outDir}`,
);
