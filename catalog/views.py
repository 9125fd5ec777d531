"""The catalogue as partners (and HQ) read it: search, filters, each partner's own price and its supplier's stock.
Built for a phone: a page of products at a time, a fixed number of queries whatever the catalogue's size."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import selectors
from catalog.models import PriceAudience, ProductKind, ProductStatus
from partners.models import Organization, ProductLine
from prm.core.errors import ServiceError, error_text
from prm.core.roles import OrgKind
from prm.portals.access import portal_required
from purchasing import permissions as ordering_permissions

PER_PAGE = 48


class CatalogueFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy(
                            "Name or SKU"), "enterkeyhint": "search"}))
    line = forms.ModelChoiceField(label=gettext_lazy("Product line"), queryset=ProductLine.objects.all(),
                                  required=False, empty_label=gettext_lazy("All product lines"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False,
                             choices=[("", gettext_lazy("Products and spare parts")), *ProductKind.choices])
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("Any status")), *ProductStatus.choices])


def _supplier(request: HttpRequest) -> Organization | None:
    """The supplier whose stock and cart the page shows: the one chosen, or the buyer's first."""
    from purchasing.services import suppliers_for

    actor = request.actor  # type: ignore[attr-defined]
    if actor.kind == OrgKind.HQ or actor.organization is None:
        return None
    suppliers = suppliers_for(actor.organization)
    chosen = request.GET.get("supplier") or request.POST.get("supplier")
    return next((s for s in suppliers if str(s.pk) == chosen), suppliers[0] if suppliers else None)


@portal_required(OrgKind.DEALER, OrgKind.DISTRIBUTOR, OrgKind.HQ)
def catalogue(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = CatalogueFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.catalogue(q=filters.get("q") or "", line=filters["line"].pk if filters.get("line") else None,
                             kind=filters.get("kind") or "", status=filters.get("status") or "")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    products = list(page.object_list)
    ids = [p.pk for p in products]
    supplier = _supplier(request)
    prices = selectors.prices_for(actor.organization, ids) if actor.kind != OrgKind.HQ else {}
    stock = selectors.availability(supplier, ids, actor) if supplier else {}
    rows = [(p, prices.get(p.pk), stock.get(p.pk)) for p in products]
    # one reverse() per page, not one per product: a product's page is this prefix and its id
    product_prefix = reverse("portals:product", args=[0]).removesuffix("0/")
    return render(request, "catalog/catalogue.html", {
        "form": form, "page": page, "rows": rows, "supplier": supplier, "is_hq": actor.kind == OrgKind.HQ,
        "product_prefix": product_prefix,
    })


@portal_required(OrgKind.DEALER, OrgKind.DISTRIBUTOR, OrgKind.HQ)
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from purchasing.services import cart_set, suppliers_for

    actor = request.actor  # type: ignore[attr-defined]
    product = selectors.product_get(pk)
    supplier = _supplier(request)
    if request.method == "POST" and supplier is not None:
        try:
            quantity = int(request.POST.get("quantity", ""))
        except ValueError:
            quantity = 0
        try:
            if quantity < 1:
                raise ServiceError(_("Enter a quantity of 1 or more."))
            from purchasing.models import PurchaseLine

            in_cart = PurchaseLine.objects.filter(order__buyer=actor.organization, order__supplier=supplier,
                                                  order__status="cart", product=product).first()
            total = quantity + (in_cart.quantity if in_cart else 0)
            cart_set(actor=actor, supplier=supplier, product=product, quantity=total)
            messages.success(request, _("%(sku)s × %(quantity)s is in your cart.")
                             % {"sku": product.sku, "quantity": total})
            return redirect("portals:cart")
        except (ServiceError, ValidationError) as exc:
            messages.error(request, error_text(exc))
    if request.method == "POST" and actor.kind == OrgKind.HQ:
        from catalog.services import product_attach

        try:
            product_attach(actor=actor, product=product, image=request.FILES.get("image"),
                           document=request.FILES.get("document"), title=request.POST.get("title", ""))
            messages.success(request, _("Saved."))
        except (ServiceError, ValidationError) as exc:
            messages.error(request, error_text(exc))
        return redirect("portals:product", pk=product.pk)
    price = selectors.prices_for(actor.organization, [product.pk]).get(product.pk) if actor.kind != OrgKind.HQ \
        else None
    stock = selectors.availability(supplier, [product.pk], actor).get(product.pk) if supplier else None
    suppliers = suppliers_for(actor.organization) if actor.kind != OrgKind.HQ and actor.organization else []
    return render(request, "catalog/product_detail.html", {
        "product": product, "price": price, "stock": stock, "supplier": supplier, "suppliers": suppliers,
        "specs": sorted(product.specs.items()) if isinstance(product.specs, dict) else [],
        "orderable": selectors.orderable(product) and price is not None and supplier is not None,
        "can_manage": actor.kind == OrgKind.HQ and ordering_permissions.can(actor, "catalogue.manage"),
    })


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (XLSX, XLS or CSV)"))


class PriceListForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    audience = forms.ChoiceField(label=gettext_lazy("For"), choices=PriceAudience.choices)
    tier = forms.CharField(label=gettext_lazy("Tier"), max_length=30, required=False,
                           help_text=gettext_lazy("Empty: every tier."))
    is_promotion = forms.BooleanField(label=gettext_lazy("Promotion"), required=False)
    campaign = forms.CharField(label=gettext_lazy("Campaign"), max_length=120, required=False)
    valid_from = forms.DateField(label=gettext_lazy("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=gettext_lazy("Valid until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=gettext_lazy("Prices (columns SKU and price)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The end comes before the start."))
        return data


MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _read_upload(form: forms.Form) -> bytes | None:
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD_BYTES:
        form.add_error("file", _("The file is larger than 20 MB."))
        return None
    return bytes(upload.read())


@portal_required(OrgKind.HQ)
def hq_catalogue_upload(request: HttpRequest) -> HttpResponse:
    """HQ adds and updates products by spreadsheet: all rows or none, every bad row named."""
    from catalog.importing import catalogue_import
    from purchasing import permissions

    actor = request.actor  # type: ignore[attr-defined]
    if not permissions.can(actor, "catalogue.manage"):
        raise PermissionDenied
    report = None
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = _read_upload(form)
        if data is not None:
            report = catalogue_import(actor=actor, data=data)
            if report.ok:
                messages.success(request, _("Products added: %(created)s; updated: %(updated)s.")
                                 % {"created": report.created, "updated": report.updated})
                return redirect("portals:hq_catalogue_upload")
    return render(request, "catalog/hq_upload.html", {"form": form, "report": report})


@portal_required(OrgKind.HQ)
def hq_price_lists(request: HttpRequest) -> HttpResponse:
    """Price lists (current, announced, past) and a new one from a file."""
    from catalog.importing import price_list_import
    from catalog.models import PriceList
    from purchasing import permissions

    actor = request.actor  # type: ignore[attr-defined]
    can_manage = permissions.can(actor, "catalogue.manage")
    report = None
    form = PriceListForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = _read_upload(form)
            if data is not None:
                values = {k: v for k, v in form.cleaned_data.items() if k != "file"}
                try:
                    report, price_list = price_list_import(actor=actor, data=data, **values)
                except ValidationError as exc:
                    messages.error(request, error_text(exc))
                    price_list = None
                if price_list is not None:
                    messages.success(request, _("Price list “%(name)s” made with %(count)s prices.")
                                     % {"name": price_list.name, "count": report.created if report else 0})
                    return redirect("portals:hq_price_lists")
    from django.db.models import Count

    lists = PriceList.objects.annotate(prices_count=Count("prices")).order_by("-valid_from", "-id")
    page = Paginator(lists, 25).get_page(request.GET.get("page"))
    return render(request, "catalog/price_lists.html", {"form": form, "report": report, "page": page,
                                                        "can_manage": can_manage})


class ProductForm(forms.ModelForm):
    specs_text = forms.CharField(
        label=gettext_lazy("Specifications"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One per line, as “name: value”."))

    class Meta:
        from catalog.models import Product

        model = Product
        fields = ["sku", "kind", "product_line", "name_ko", "name_en", "status", "unit", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and isinstance(self.instance.specs, dict):
            self.initial["specs_text"] = "\n".join(f"{k}: {v}" for k, v in self.instance.specs.items())

    def clean_specs_text(self) -> dict[str, str]:
        specs: dict[str, str] = {}
        for number, raw in enumerate((self.cleaned_data.get("specs_text") or "").splitlines(), start=1):
            if not raw.strip():
                continue
            name, sep, value = raw.partition(":")
            if not sep or not name.strip():
                raise ValidationError(_("Line %(number)s: write it as “name: value”.") % {"number": number})
            specs[name.strip()[:60]] = value.strip()[:200]
        return specs


@portal_required(OrgKind.HQ)
def hq_product_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """HQ adds a product or spare part, or changes one, in the portal."""
    from catalog.models import Product
    from catalog.services import product_save

    actor = request.actor  # type: ignore[attr-defined]
    if not ordering_permissions.can(actor, "catalogue.manage"):
        raise PermissionDenied
    product = selectors.product_get(pk) if pk else None
    form = ProductForm(request.POST or None, instance=Product.objects.get(pk=product.pk) if product else None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        values["specs"] = form.cleaned_data["specs_text"]
        try:
            saved = product_save(actor=actor, product=product, **values)
        except ValidationError as exc:
            from prm.core.forms import add_service_errors

            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(sku)s saved.") % {"sku": saved.sku})
            return redirect("portals:product", pk=saved.pk)
    return render(request, "catalog/product_form.html", {"form": form, "product": product})


@portal_required(OrgKind.DEALER, OrgKind.DISTRIBUTOR, OrgKind.HQ)
def product_image(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A product's photo, for anyone working in this tenant's portal (looked up in this tenant's catalogue)."""
    from prm.core.files import serve, stored_kind

    product = selectors.product_get(pk)
    return serve(product.image, stored_kind(product.image), download_name="product", inline=True)


@portal_required(OrgKind.DEALER, OrgKind.DISTRIBUTOR, OrgKind.HQ)
def product_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    from django.shortcuts import get_object_or_404

    from catalog.models import ProductDocument
    from prm.core.files import serve, stored_kind

    document = get_object_or_404(ProductDocument.objects.select_related("product"), pk=pk)
    return serve(document.file, stored_kind(document.file), download_name="document", inline=False)
