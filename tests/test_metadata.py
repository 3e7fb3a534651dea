from pipeline.metadata import infer_metadata, org_from_titles, region_of


def test_region_of_names():
    assert region_of("相山区人大办公室") == "相山区"
    assert region_of("安岳县人民代表大会常务委员会办公室") == "安岳县"
    assert region_of("淮北市相山区人大办公室") == "相山区"
    assert region_of("淮北市人大办公室") is None   # the region is county-level (contract); a city is not one
    assert region_of("攀枝花市仁和区同德镇人民政府") == "仁和区"
    assert region_of("人大办公室") is None


def test_a_county_level_city_is_a_region_and_a_prefecture_is_not():
    assert region_of("天长市水利局") == "天长市"
    assert region_of("滁州市天长市水利局") == "天长市"
    assert region_of("潜山市财政局") == "潜山市"   # made a city after the code list was drawn
    assert region_of("廊坊市食品工程学校") is None
    assert region_of("岳阳市城市管理监督指挥中心") is None


def test_org_unit_from_list_title():
    assert org_from_titles(["相山区人大办公室部门绩效自评项目清单"]) == "相山区人大办公室"


def test_department_form_names_the_unit():
    forms = [{"kind": "project_scoring", "meta": {"org_unit": "安岳县人大常委会办公室"}, "fiscal_year": 2023},
             {"kind": "dept_scoring", "meta": {"org_unit": "安岳县人民代表大会常务委员会办公室"}, "fiscal_year": 2023}]
    meta = infer_metadata({"forms": forms}, ["安岳县 2023年度部门整体支出绩效自评计分表"])
    assert meta == {"region": "安岳县", "org_unit": "安岳县人民代表大会常务委员会办公室", "fiscal_year": 2023}


def test_unknown_stays_null():
    assert infer_metadata({"forms": []}, ["项目支出绩效自评表"]) == {"region": None, "org_unit": None,
                                                                   "fiscal_year": None}


def test_a_label_on_its_own_line_takes_the_next_line():
    """One cell per line (x13's 发文单位 cell and its value, written out as paragraphs)."""
    from parsers.document_meta import labelled_units

    assert labelled_units(["发文单位:", "鄂州市行政审批局", "发布日期:"])["publisher"] == ["鄂州市行政审批局"]
