"""The built-in order types, one module each (ORDER_TYPE); reports.orders.kinds registers them."""
