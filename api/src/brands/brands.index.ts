import { createRouter } from '../lib/create-app.ts';
import * as handlers from './brands.handlers.ts';
import * as routes from './brands.routes.ts';

export const brandsRouter = createRouter()
  .openapi(routes.listBrands, handlers.listBrands)
  .openapi(routes.createBrand, handlers.createBrand)
  .openapi(routes.updateBrand, handlers.updateBrand)
  .openapi(routes.deleteBrand, handlers.deleteBrand)
  .openapi(routes.putLogo, handlers.putLogo)
  .openapi(routes.deleteLogo, handlers.deleteLogo)
  .openapi(routes.getLogo, handlers.getLogo)
  .openapi(routes.setBranchBrand, handlers.setBranchBrand)
  .openapi(routes.linkBrand, handlers.linkBrand);
