import type { PropertyProblem } from './errors';

interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  /** HubSpot sends both values as strings. */
  metadata: { isClosed: 'true' | 'false'; probability: string };
}

interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
}

const stage = (id: string, label: string, displayOrder: number, probability: string, isClosed = false): PipelineStage => ({
  id, label, displayOrder, metadata: { isClosed: isClosed ? 'true' : 'false', probability },
});

/** Every account's deal pipeline, with HubSpot's internal stage ids; the simulator has no pipeline editing. */
export const DEAL_PIPELINES: readonly Pipeline[] = [
  {
    id: 'default',
    label: 'Sales Pipeline',
    displayOrder: 0,
    stages: [
      stage('appointmentscheduled', 'Appointment Scheduled', 0, '0.2'),
      stage('qualifiedtobuy', 'Qualified To Buy', 1, '0.4'),
      stage('presentationscheduled', 'Presentation Scheduled', 2, '0.6'),
      stage('decisionmakerboughtin', 'Decision Maker Bought-In', 3, '0.8'),
      stage('contractsent', 'Contract Sent', 4, '0.9'),
      stage('closedwon', 'Closed Won', 5, '1.0', true),
      stage('closedlost', 'Closed Lost', 6, '0.0', true),
    ],
  },
];

const DEFAULT_PIPELINE = 'default';

/** The pipelines API's shape; the built-in pipeline has existed since the epoch. */
export function renderPipeline(pipeline: Pipeline) {
  const audit = { createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString(), archived: false };
  return {
    ...pipeline,
    ...audit,
    stages: pipeline.stages.map((s) => ({ ...s, ...audit, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT' })),
  };
}

type Values = Record<string, string | null>;

/**
 * A deal write as HubSpot takes it: a new deal lands in the default pipeline unless it names one; afterwards the
 * deal must have a name and a stage, and the stage must belong to its pipeline. `current` is the deal being updated.
 */
export function dealWrite(values: Values, current?: Record<string, string>): { values: Values; problems: PropertyProblem[] } {
  const completed = current || values.pipeline ? values : { ...values, pipeline: DEFAULT_PIPELINE };
  const after = (name: string): string | null | undefined => (name in completed ? completed[name] : current?.[name]);
  const problems: PropertyProblem[] = [];
  for (const name of ['dealname', 'dealstage']) {
    // UNCONFIRMED: the error code HubSpot gives a missing required property.
    if (!after(name)) problems.push({ name, error: 'REQUIRED_FIELD', message: `${name} is required` });
  }
  const pipelineId = after('pipeline') ?? DEFAULT_PIPELINE;
  const pipeline = DEAL_PIPELINES.find((p) => p.id === pipelineId);
  const stageId = after('dealstage');
  if (stageId && !pipeline?.stages.some((s) => s.id === stageId)) {
    const allowed = pipeline?.stages.map((s) => s.id).join(', ') ?? '';
    problems.push({ name: 'dealstage', error: 'INVALID_OPTION', message: `${stageId} is not a valid stage of pipeline ${pipelineId}: [${allowed}]` });
  }
  return { values: completed, problems };
}
