// Entry point of the pure NetSuite record builders (canonical order + mapping config → REST bodies).
export { addressBookOf, buildCustomerBody, customerIdentity, customerScalarFields, emailHash, isCompany, normalizeEmail } from './customer-record.js';
export type { CustomerIdentity, CustomerScalarFields, NsAddressBookEntry } from './customer-record.js';
export {
  buildCashSale,
  buildCustomerPayment,
  buildInvoiceTransform,
  buildSaleLines,
  buildSalesOrder,
  isoDate,
  orderDate,
  paymentDate,
} from './sale-records.js';
export type { NsItemLine, NsRef, SaleDocument, SaleLines, SalePart, SalePartKind } from './sale-records.js';
export { allocateRefund } from './refund-allocation.js';
export type { AllocateRefundInput, RefundAllocation, RefundPartShare } from './refund-allocation.js';
export { AmountMismatchError, MappingError, OverRefundError } from './errors.js';
