import type { TopologyDefinition } from '../support/topology';
import { clusterTopology } from './cluster';
import { npmStartTopology } from './npm-start';
import { splitTopology } from './split';

/** The topologies `--topology=` picks from; the first is the default. */
export const TOPOLOGIES: readonly TopologyDefinition[] = [splitTopology, npmStartTopology, clusterTopology];
