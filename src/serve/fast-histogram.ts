import type { Registry } from "prom-client";

/** One label set's buckets (not cumulative), sum and count. */
interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

interface Value {
  value: number;
  labels: Record<string, string | number>;
  sharedLabels?: Readonly<Record<string, string>>;
  metricName: string;
}

/**
 * A Prometheus histogram for the per-request path, exposed through a prom-client registry with
 * the text prom-client's own Histogram writes. Where prom-client's `observe` builds a label
 * object, validates and hashes it on every call, this one finds its series in nested maps by the
 * label values (created once) and increments a typed array, so a search's handful of
 * observations cost no allocation.
 */
export class FastHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly root = new Map<string, unknown>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Parameters<Registry["registerMetric"]>[0]);
  }

  /** Observes `value` for the label values, in `labelNames` order. */
  observe(value: number, ...labelValues: string[]): void {
    const series = this.series(labelValues);
    const bounds = this.bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]!) bucket += 1;
    series.counts[bucket]! += 1;
    series.sum += value;
    series.count += 1;
  }

  /** For prom-client's text exposition: buckets labelled `le` first, as its Histogram writes. */
  getForPromString(): {
    name: string;
    help: string;
    type: string;
    values: Value[];
    aggregator: string;
  } {
    const values: Value[] = [];
    for (const series of this.all()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += series.counts[i]!;
        values.push({
          labels: { le: bound },
          sharedLabels: series.labels,
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      });
      values.push(
        {
          labels: { le: "+Inf" },
          sharedLabels: series.labels,
          value: series.count,
          metricName: `${this.name}_bucket`,
        },
        {
          labels: {},
          sharedLabels: series.labels,
          value: series.sum,
          metricName: `${this.name}_sum`,
        },
        {
          labels: {},
          sharedLabels: series.labels,
          value: series.count,
          metricName: `${this.name}_count`,
        },
      );
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    };
  }

  /** For prom-client's JSON (and the cluster merge): every label on the value itself. */
  get(): Promise<{
    name: string;
    help: string;
    type: string;
    values: Value[];
    aggregator: string;
  }> {
    const data = this.getForPromString();
    data.values = data.values.map(({ labels, sharedLabels, value, metricName }) => ({
      labels: { ...labels, ...sharedLabels },
      value,
      metricName,
    }));
    return Promise.resolve(data);
  }

  reset(): void {
    this.root.clear();
  }

  private series(labelValues: readonly string[]): Series {
    let level: Map<string, unknown> = this.root;
    const last = labelValues.length - 1;
    for (let i = 0; i < last; i += 1) {
      let next = level.get(labelValues[i]!) as Map<string, unknown> | undefined;
      if (next === undefined) level.set(labelValues[i]!, (next = new Map()));
      level = next;
    }
    let series = level.get(labelValues[last]!) as Series | undefined;
    if (series === undefined) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => (labels[name] = labelValues[i]!));
      series = { labels, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      level.set(labelValues[last]!, series);
    }
    return series;
  }

  private *all(): Generator<Series> {
    const walk = function* (level: Map<string, unknown>, depth: number): Generator<Series> {
      for (const child of level.values()) {
        if (depth === 0) yield child as Series;
        else yield* walk(child as Map<string, unknown>, depth - 1);
      }
    };
    yield* walk(this.root, this.labelNames.length - 1);
  }
}
