import factory

from ingredients.models import Batch, Ingredient, Product


class IngredientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ingredient
        django_get_or_create = ("inci_name",)

    inci_name = factory.Sequence(lambda n: f"Test Ingredient {n}")
    functions = factory.LazyFunction(lambda: ["skin conditioning"])
    sources = factory.LazyFunction(lambda: {"inci_name": "test"})


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    brand = "Testbrand"
    name = factory.Sequence(lambda n: f"Test Product {n}")
    category = "serum"
    search_text = factory.LazyAttribute(lambda o: f"{o.brand} {o.name} {o.category}")


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    product = factory.SubFactory(ProductFactory)
    batch_code = factory.Sequence(lambda n: f"B{n:05d}")
    manufacture_date = factory.Faker("date_between", start_date="-300d", end_date="-200d")
    expiry_date = factory.Faker("date_between", start_date="+200d", end_date="+400d")
