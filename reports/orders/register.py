"""The register of orders (журнал приказов) as XLSX/CSV, filtered as on the page."""

from reports.exports.base import Column, TableExporter
from reports.orders.filters import OrderFilter


class OrdersExporter(TableExporter):
    identifier = "orders"
    title = "Журнал приказов"
    capability = "orders.draft"
    personal_data = False  # titles, numbers and the staff who drafted and approved
    sheet_title = "Приказы"
    columns = (
        Column("Дата", 12),
        Column("Номер", 12),
        Column("Заголовок", 60),
        Column("Вид", 40),
        Column("Статус", 20),
        Column("Программа", 30),
        Column("Составил", 28),
        Column("Утвердил", 28),
        Column("Основание отмены", 30),
    )

    def rows(self, *, organisation, params):
        orders = organisation.orders.select_related("programme", "created_by", "approved_by")
        for order in OrderFilter(params, queryset=orders).qs.iterator(chunk_size=2000):
            yield (
                order.approved_on,
                order.number_label,
                order.title,
                order.get_kind_display(),
                order.get_status_display(),
                order.programme.title if order.programme else "",
                order.created_by.display_name if order.created_by else "",
                order.approved_by.display_name if order.approved_by else "",
                order.cancel_reason,
            )
