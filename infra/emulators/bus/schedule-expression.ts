/**
 * The bus's ScheduleExpression parser. It lives in `contracts/` because dataset manifests validate
 * their batch trigger with it too; the bus and its tests import it from here.
 */
export { parseScheduleExpression, type Schedule } from '../../../contracts/schedule-expression';
