import { annotationFilesHandlers } from './annotationFilesHandlers'
import { annotationHandlers } from './annotationHandlers'
import { demoHandlers } from './demoHandlers'
import { dialogHandlers } from './dialogHandlers'
import { experimentHandlers } from './experimentHandlers'
import type { Handlers } from './handlerTypes'
import { jobHandlers } from './jobHandlers'
import { labelFractionHandlers } from './labelFractionHandlers'
import { labellingLoopHandlers } from './labellingLoopHandlers'
import { methodHandlers } from './methodHandlers'
import { projectHandlers } from './projectHandlers'
import { runHandlers } from './runHandlers'
import { saliencyHandlers } from './saliencyHandlers'
import { tissueHandlers } from './tissueHandlers'
import { trainingHandlers } from './trainingHandlers'
import { uploadHandlers } from './uploadHandlers'
import type { Session } from './session'
import { viewerHandlers } from './viewerHandlers'
import { weightsHandlers } from './weightsHandlers'

export type { Handlers }

/** The whole contract bound to one session. The type forces every method to have exactly one handler. */
export function createHandlers(session: Session): Handlers {
  return {
    ...projectHandlers(session),
    ...demoHandlers(session),
    ...annotationHandlers(session),
    ...annotationFilesHandlers(session),
    ...jobHandlers(session),
    ...trainingHandlers(session),
    ...runHandlers(session),
    ...methodHandlers(session),
    ...viewerHandlers(session),
    ...saliencyHandlers(session),
    ...tissueHandlers(session),
    ...labelFractionHandlers(session),
    ...labellingLoopHandlers(session),
    ...weightsHandlers(session),
    ...experimentHandlers(session),
    ...uploadHandlers(session),
    ...dialogHandlers(session),
  }
}
