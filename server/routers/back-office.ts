import { backOfficeCatalogRouter } from './back-office-catalog';
import { backOfficeOrdersRouter } from './back-office-orders';

/**
 * The back office: staff only, every procedure (`staffProcedure`, `staffCommandProcedure`). The processes that
 * need attention and the consumers' status are `operations`, the sales figures `sales`, staff only as well.
 */
export const backOfficeRouter = {
  orders: backOfficeOrdersRouter,
  catalog: backOfficeCatalogRouter,
};
