"""Build (or find) the demo tenant: HQ, three distributors whose dealers come from the sample files through
the real upload path, product lines, and a dozen customer orders routed by the worker. Safe to run twice."""

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from prm.accounts.models import User
from prm.tenancy.models import Tenant
from prm.tenancy.schemas import use_public_schema

PASSWORD = "demo-pass-1"
SAMPLES = Path(settings.BASE_DIR) / "demo" / "dealer-lists"
DISTRIBUTORS = [
    # (file, name, business number, address, product lines it supplies: its dealers inherit them on import)
    ("seoul-distributor_cp949.csv", "서울중앙유통", "1018100016", "서울특별시 중구 세종대로 110",
     ("aircon", "tv", "fridge")),
    ("busan-distributor.xlsx", "부산남부유통", "6028100014", "부산광역시 부산진구 중앙대로 700", ("aircon", "tv")),
    ("crm-export_utf8-bom.csv", "한국CRM유통", "2208100016", "경기도 성남시 분당구 판교역로 10",
     ("aircon", "fridge")),
]
PRODUCT_LINES = [("aircon", "에어컨", "Air conditioners"), ("tv", "TV", "Televisions"),
                 ("fridge", "냉장고", "Refrigerators")]
ORDERS = [
    ("김민준", "서울특별시 강남구 테헤란로 152", "aircon", 2),
    ("이서연", "서울특별시 마포구 월드컵북로 396", "tv", 1),
    ("박지훈", "부산광역시 해운대구 센텀중앙로 79", "aircon", 3),
    ("최수아", "대구광역시 수성구 달구벌대로 2450", "fridge", 1),
    ("정도윤", "인천광역시 연수구 컨벤시아대로 165", "tv", 2),
    ("강하은", "대전광역시 유성구 대학로 99", "aircon", 1),
    ("조예준", "광주광역시 서구 상무중앙로 61", "tv", 4),
    ("윤지아", "경기도 수원시 영통구 광교로 145", "aircon", 2),
    ("장시우", "서울특별시 송파구 올림픽로 300", "fridge", 1),
    ("임하준", "부산광역시 사하구 낙동대로 398", "tv", 1),
    ("한서윤", "경기도 고양시 일산동구 중앙로 1275", "aircon", 5),
    ("오주원", "서울특별시 종로구 세종대로 175", "tv", 2),
]


COURSE_SUMMARIES = {
    "인버터 에어컨 기초": "인버터 에어컨이 정속형과 어떻게 다른지, 고객에게 어떻게 설명할지 배웁니다.",
    "냉매 안전 관리": "냉매를 다룰 때의 안전 수칙과 누설 점검 방법을 배웁니다.",
}
COURSES = [
    ("인버터 에어컨 기초", [
        ("인버터는 무엇이 다른가",
         "# 인버터의 원리\n\n인버터 압축기는 **회전 속도**를 바꿔 필요한 만큼만 냉방합니다.\n\n"
         "- 정속형보다 전기를 적게 씁니다\n- 실내 온도가 일정하게 유지됩니다", ""),
        ("고객에게 설명하기",
         "고객이 가장 많이 묻는 것은 **전기 요금**입니다.\n\n하루 8시간 사용 기준으로 정속형과 비교해 "
         "설명하세요.", ""),
    ], [
        ("인버터 압축기가 바꾸는 것은?", "회전 속도", ["색상", "무게"]),
        ("고객이 가장 많이 묻는 것은?", "전기 요금", ["배송 날짜", "리모컨 색"]),
        ("인버터 에어컨의 장점이 아닌 것은?", "설치가 필요 없다", ["전기를 적게 쓴다", "온도가 일정하다"]),
    ]),
    ("냉매 안전 관리", [
        ("냉매 취급 기본", "# 안전 수칙\n\n- 환기되는 곳에서 작업합니다\n- 보호 장갑과 보안경을 씁니다", ""),
    ], [
        ("냉매 작업 때 꼭 해야 하는 것은?", "환기", ["음악 듣기", "빨리 끝내기"]),
        ("보호구로 알맞은 것은?", "보안경", ["선글라스", "모자"]),
    ]),
]
POINTS_RULES = [
    # (event, fixed points, points per KRW 10,000, expiry months, description)
    ("course_passed", 300, 0, 24, "교육 이수"),
    ("order_delivered", 0, 1, 12, "주문 배송 완료"),
    ("deal_won", 50, 1, 12, "고객 주문 성사"),
    ("campaign_joined", 100, 0, 12, "캠페인 참여"),
]
REWARDS = [
    # (name, points, kind, credit note amount, stock)
    ("브랜드 머그컵", 500, "goods", None, 200),
    ("매장용 POP 세트", 1_500, "goods", None, 50),
    ("대금 공제 5만원", 5_000, "credit_note", "50000", None),
]


class Command(BaseCommand):
    help = "Create the demo tenant with real imports and routed orders (idempotent)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--slug", default="demo")
        parser.add_argument("--domain", default="demo.localhost")
        parser.add_argument("--wait", type=int, default=120, help="seconds to wait for the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        from partners.choices import OrgKind, Role
        from prm.tenancy.services import tenant_provision

        use_public_schema()
        operator = User.objects.filter(email="operator@prm.localhost").first()
        if operator is None:
            User.objects.create_superuser("operator@prm.localhost", PASSWORD, full_name="Operator")
        tenant = Tenant.objects.filter(slug=options["slug"]).first()
        if tenant is None:
            tenant = tenant_provision(slug=options["slug"], name="데모전자 (Demo Electronics)",
                                      domain=options["domain"], admin_email="hq@demo.example",
                                      admin_password=PASSWORD, admin_name="HQ 관리자").tenant
            self.stdout.write(f"Created tenant {tenant.slug}")
        else:
            self.stdout.write(f"Reusing tenant {tenant.slug}")
        with schema_context(tenant.schema_name):
            self._network(OrgKind, Role, options["wait"])
            self._orders(options["wait"])
            self._catalogue()
            self._logins(Role)
            self._training_and_rewards()
            from notices.demo import seed_demo as seed_notices

            seed_notices(stdout=self.stdout)  # before anything is published: its notices show the opt-outs
            from announcements.demo import seed_demo as seed_announcements

            seed_announcements(stdout=self.stdout, distributor_number=DISTRIBUTORS[0][2])
            from campaigns.demo import seed_demo as seed_campaigns

            seed_campaigns(stdout=self.stdout, distributor_number=DISTRIBUTORS[0][2])

    def _network(self, OrgKind: Any, Role: Any, wait: int) -> None:  # noqa: N803
        from partners.choices import UploadStatus
        from partners.models import DealerListUpload, Organization, ProductLine
        from partners.services import dealer_list_upload_create, member_add, organization_create
        from prm.core.actor import Actor

        system = Actor.system()
        lines = [ProductLine.objects.get_or_create(code=c, defaults={"name": n, "name_en": e})[0]
                 for c, n, e in PRODUCT_LINES]
        pending = []
        for filename, name, bn, address, codes in DISTRIBUTORS:
            distributor = Organization.objects.filter(business_number=bn).first()
            if distributor is None:
                distributor = organization_create(actor=system, kind=OrgKind.DISTRIBUTOR, name=name,
                                                  business_number=bn, address=address,
                                                  product_lines=[line for line in lines if line.code in codes])
                email = f"admin@{bn}.demo.example"
                member_add(actor=system, organization=distributor, email=email, role=Role.DISTRIBUTOR_ADMIN,
                           password=PASSWORD, full_name=f"{name} 관리자")
            if DealerListUpload.objects.filter(distributor=distributor, status=UploadStatus.DONE).exists():
                continue
            admin = distributor.memberships.select_related("user").first()
            actor = Actor.from_membership(admin) if admin else system
            data = (SAMPLES / filename).read_bytes()
            upload = dealer_list_upload_create(actor=actor, distributor=distributor,
                                               file=SimpleUploadedFile(filename, data), auto_confirm=True)
            pending.append(upload.pk)
            self.stdout.write(f"Uploaded {filename} for {name}; the worker imports it")
        deadline = time.monotonic() + wait
        while pending and time.monotonic() < deadline:
            done = set(DealerListUpload.objects.filter(pk__in=pending, status__in=["done", "failed"])
                       .values_list("pk", flat=True))
            pending = [pk for pk in pending if pk not in done]
            time.sleep(0.5)
        if pending:
            raise CommandError("The worker did not finish the imports in time: is it running?")
        if not pending:
            self.stdout.write("Dealer lists imported earlier:")
        for upload in DealerListUpload.objects.filter(status="done").order_by("pk"):
            self.stdout.write(f"  {upload.original_name}: created {upload.created_count}, updated "
                              f"{upload.updated_count}, unchanged {upload.unchanged_count}, rejected "
                              f"{upload.rejected_count}")

    def _orders(self, wait: int) -> None:
        from orders.choices import OrderStatus
        from orders.models import CustomerOrder
        from orders.services import order_create
        from partners.models import ProductLine
        from prm.core.actor import Actor

        if not CustomerOrder.objects.exists():
            hq_admin = User.objects.get(email="hq@demo.example")
            from prm.core.actor import actor_for

            actor = actor_for(hq_admin) or Actor.system()
            for name, address, line, qty in ORDERS:
                order_create(actor=actor, customer_name=name, address=address,
                             product_line=ProductLine.objects.get(code=line), quantity=qty,
                             customer_phone="010-0000-0000")
            self.stdout.write(f"Entered {len(ORDERS)} customer orders; the worker routes them")
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not CustomerOrder.objects.filter(status=OrderStatus.RECEIVED).exists():
                break
            time.sleep(0.5)
        else:
            raise CommandError("The worker did not route the orders in time: is it running?")

    def _catalogue(self) -> None:
        """Invented products and spare parts per product line, price lists (dealers, Gold dealers, distributors,
        a promotion and a change announced for next month), stock at HQ and at each distributor, and credit
        terms for the dealers."""
        import datetime as dt
        import random
        from decimal import Decimal

        from django.utils import timezone

        from catalog.models import Price, PriceAudience, PriceList, Product, ProductKind, ProductStatus, StockLevel
        from partners.choices import CreditStatus, OrgKind
        from partners.models import Organization, ProductLine

        if Product.objects.exists():
            return
        rng = random.Random(5)
        products = []
        for line in ProductLine.objects.order_by("code"):
            for i in range(1, 9):
                products.append(Product(
                    sku=f"{line.code[:3].upper()}-{i:03d}", kind=ProductKind.PRODUCT, product_line=line,
                    name_ko=f"{line.name} 모델 {i:02d}", name_en=f"{line.name_en or line.code} model {i:02d}",
                    specs={"용량": f"{6 + i * 2}평", "전원": "220V", "보증": "2년"},
                    status=ProductStatus.NEW if i == 8 else (ProductStatus.DISCONTINUED if i == 1 else
                                                            ProductStatus.ACTIVE)))
            for i in range(1, 5):
                products.append(Product(
                    sku=f"{line.code[:3].upper()}-P{i:02d}", kind=ProductKind.SPARE_PART, product_line=line,
                    name_ko=f"{line.name} 부품 {i:02d}", name_en=f"{line.name_en or line.code} part {i:02d}",
                    specs={"호환": "모델 01-08"}))
        Product.objects.bulk_create(products)
        today = timezone.localdate()
        base = {p: Decimal(rng.randrange(50, 3000) * 1000) if p.kind == ProductKind.PRODUCT
                else Decimal(rng.randrange(5, 80) * 1000) for p in Product.objects.all()}
        lists = [
            (PriceList(name="대리점 표준가", audience=PriceAudience.DEALER, valid_from=today - dt.timedelta(days=90)),
             Decimal("1.0")),
            (PriceList(name="골드 대리점가", audience=PriceAudience.DEALER, tier="Gold",
                       valid_from=today - dt.timedelta(days=90)), Decimal("0.95")),
            (PriceList(name="총판 공급가", audience=PriceAudience.DISTRIBUTOR,
                       valid_from=today - dt.timedelta(days=90)), Decimal("0.85")),
            (PriceList(name="다음 달 대리점가", audience=PriceAudience.DEALER,
                       valid_from=today + dt.timedelta(days=20)), Decimal("1.03")),
        ]
        for price_list, factor in lists:
            price_list.save()
            Price.objects.bulk_create(Price(price_list=price_list, product=p, amount=(amount * factor).quantize(
                Decimal("1"))) for p, amount in base.items())
        promo = PriceList.objects.create(name="여름 냉방 프로모션", audience=PriceAudience.DEALER, is_promotion=True,
                                         campaign="여름 프로모션", valid_from=today - dt.timedelta(days=7),
                                         valid_until=today + dt.timedelta(days=30))
        Price.objects.bulk_create(Price(price_list=promo, product=p, amount=(amount * Decimal("0.9")).quantize(
            Decimal("1"))) for p, amount in list(base.items())[:6])
        holders = list(Organization.objects.filter(kind__in=[OrgKind.HQ, OrgKind.DISTRIBUTOR]))
        StockLevel.objects.bulk_create(
            StockLevel(holder=h, product=p, on_hand=rng.choice([0, 3, 12, 40, 200]), low_at=5,
                       expected_on=today + dt.timedelta(days=rng.randrange(3, 20)))
            for h in holders for p in base)
        Organization.objects.filter(kind=OrgKind.DEALER).update(credit_status=CreditStatus.REGISTERED,
                                                                credit_limit=Decimal(30_000_000))
        Organization.objects.filter(kind=OrgKind.DISTRIBUTOR).update(credit_status=CreditStatus.REGISTERED,
                                                                     credit_limit=Decimal(500_000_000))
        self.stdout.write(f"Catalogue: {len(base)} products and parts, {PriceList.objects.count()} price lists, "
                          f"stock at {len(holders)} holders")

    def _training_and_rewards(self) -> None:
        """Two published courses with lessons and quizzes, points rules and a reward catalogue, and a published
        dealer tier program computed at once (invented, like everything in the demo)."""
        from decimal import Decimal

        from prm.core.actor import actor_for
        from rewards.models import PointsRule, Reward, TierProgram, TierRun
        from rewards.services.points import points_rule_save, reward_save
        from rewards.services.tiers import program_publish, program_save, tiers_run, tiers_save
        from training.models import Course
        from training.services import ChoiceInput, course_publish, course_save, lesson_save, question_save

        if TierProgram.objects.exists():
            return
        hq = actor_for(User.objects.get(email="hq@demo.example"))
        assert hq is not None
        for title, lessons, questions in COURSES:
            if Course.objects.filter(title=title).exists():
                continue
            course = course_save(actor=hq, title=title, summary=COURSE_SUMMARIES.get(title, ""), pass_mark=80,
                                 max_attempts=3, certificate_months=24)
            for lesson_title, body, video in lessons:
                lesson_save(actor=hq, course=course, title=lesson_title, body=body, video_url=video)
            for text, right, wrong in questions:
                question_save(actor=hq, course=course, text=text, kind="single",
                              choices=[ChoiceInput(right, True), *(ChoiceInput(w) for w in wrong)])
            course_publish(actor=hq, course=course)
        for event, fixed, per_10k, months, description in POINTS_RULES:
            if not PointsRule.objects.filter(event=event).exists():
                points_rule_save(actor=hq, event=event, fixed_points=fixed, points_per_10k=per_10k,
                                 expires_after_months=months, description=description, is_active=True)
        for name, cost, kind, amount, stock in REWARDS:
            if not Reward.objects.filter(name=name).exists():
                reward_save(actor=hq, name=name, points_cost=cost, kind=kind, credit_amount=amount, stock=stock)
        program = program_save(actor=hq, name="2027 딜러 등급",
                               description="매출, 수주, 응답률, 교육 이수로 매 분기 평가합니다.",
                               window_days=365, grace_days=60, review_months=3)
        tiers_save(actor=hq, program=program, rows=[
            {"name": "Bronze", "rank": 1, "routing_step": 1},
            {"name": "Silver", "rank": 2, "min_sales": Decimal(3_000_000), "routing_step": 2,
             "credit_limit": Decimal(40_000_000), "mdf_share": Decimal(2)},
            {"name": "Gold", "rank": 3, "min_sales": Decimal(10_000_000), "min_orders_won": 2,
             "min_certifications": 1, "routing_step": 3, "credit_limit": Decimal(60_000_000),
             "mdf_share": Decimal(4), "benefits_text": "전담 채널 매니저\n신제품 우선 배정"},
            {"name": "Platinum", "rank": 4, "min_sales": Decimal(30_000_000), "min_orders_won": 5,
             "min_acceptance": 80, "min_certifications": 2, "min_satisfaction": Decimal("4.5"),
             "routing_step": 4, "credit_limit": Decimal(100_000_000), "mdf_share": Decimal(6)},
        ])
        program_publish(actor=hq, program=program)
        run = tiers_run(run=TierRun.objects.create(requested_by=hq.user))  # now, not after the worker's turn
        self.stdout.write(f"Training: {Course.objects.count()} courses; tier program '{program.name}' computed "
                          f"for {run.partners} dealers; {Reward.objects.count()} rewards")

    def _logins(self, Role: Any) -> None:  # noqa: N803
        from orders.models import Offer
        from partners.models import Organization
        from partners.services import member_add
        from prm.core.actor import Actor

        system = Actor.system()
        hq = Organization.objects.get(kind="hq")
        if not User.objects.filter(email="channel@demo.example").exists():
            member_add(actor=system, organization=hq, email="channel@demo.example", role=Role.HQ_CHANNEL_MANAGER,
                       password=PASSWORD, full_name="채널 매니저")
        seoul = Organization.objects.get(business_number=DISTRIBUTORS[0][2])
        if not User.objects.filter(email="staff@seoul.demo.example").exists():
            member_add(actor=system, organization=seoul, email="staff@seoul.demo.example",
                       role=Role.DISTRIBUTOR_STAFF, password=PASSWORD, full_name="서울 담당자")
        if not User.objects.filter(email="dealer@demo.example").exists():
            pending = Offer.objects.filter(status="pending").order_by("order__created_at")
            offer = pending.filter(dealer__supply_links__distributor=seoul).first() or pending.first()
            dealer = offer.dealer if offer else Organization.objects.filter(kind="dealer").order_by("pk").first()
            if dealer is None:
                raise CommandError("The demo network has no dealer: did the imports fail?")
            member_add(actor=system, organization=dealer, email="dealer@demo.example", role=Role.DEALER_ADMIN,
                       password=PASSWORD, full_name="딜러 대표")
            member_add(actor=system, organization=dealer, email="dealer-staff@demo.example",
                       role=Role.DEALER_STAFF, password=PASSWORD, full_name="딜러 직원")
        rows = [
            ("HQ admin", "hq@demo.example"), ("HQ channel manager", "channel@demo.example"),
            ("Distributor admin", f"admin@{DISTRIBUTORS[0][2]}.demo.example"),
            ("Distributor staff", "staff@seoul.demo.example"),
            ("Dealer admin", "dealer@demo.example"), ("Dealer staff", "dealer-staff@demo.example"),
        ]
        self.stdout.write(f"\nLogins (password for all: {PASSWORD}):")
        for role, email in rows:
            user = User.objects.get(email=email)
            membership = user.memberships.select_related("organization").first()
            org_name = membership.organization.name if membership else "—"
            self.stdout.write(f"  {role:20} {email:40} {org_name}")
