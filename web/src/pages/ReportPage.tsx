// 事件上报: category (leaves only), description, address, up to 9 photos and the position (map click or typed).
import { lazy, Suspense, useState } from 'react';
import { Button, Card, Checkbox, Col, Form, Input, InputNumber, Row, Select, Skeleton, TreeSelect, Typography } from 'antd';
import { AimOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { CASE_SOURCES, URGENCIES, type CaseSource, type Urgency } from '../../../src/shared/vocabulary';
import { ApiError } from '../api';
import { PhotoUpload } from '../components/PhotoUpload';
import { SimilarCases } from '../components/SimilarCases';
import { showError, showSuccess } from '../notify';
import { useReportSubmission } from '../offline/useReportSubmission';
import { OutboxList } from '../offline/OutboxList';
import { useMe } from '../session';

const GridMap = lazy(() => import('../map/GridMap'));

interface Values {
  categoryId?: number;
  description?: string;
  address?: string;
  photos?: string[];
  lng?: number | null;
  lat?: number | null;
  source?: CaseSource;
  urgency?: Urgency;
  fixedOnSpot?: boolean;
  result?: string;
}

/** On a desktop (a phone gets its own page: see the page table). */
export function ReportPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const { submit, busy, categories, grids, categoryOptions, gridOf } = useReportSubmission();
  const [formKey, setFormKey] = useState(0);
  const lng = Form.useWatch('lng', form);
  const lat = Form.useWatch('lat', form);
  const categoryId = Form.useWatch('categoryId', form);
  const fixedOnSpot = Form.useWatch('fixedOnSpot', form);
  const position = typeof lng === 'number' && typeof lat === 'number' ? { lng, lat } : null;
  const grid = gridOf(position);

  const [locating, setLocating] = useState(false);
  // the browser reports WGS-84, the coordinates the platform stores
  const locate = () => {
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
        form.setFieldsValue({ lng: round6(pos.coords.longitude), lat: round6(pos.coords.latitude) });
      },
      (err) => {
        setLocating(false);
        showError(`${t('map.locateFailed')} (${err.message})`);
      },
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };

  const onFinish = async (v: Values) => {
    const outcome = await submit({
      lng: v.lng!,
      lat: v.lat!,
      categoryId: v.categoryId!,
      description: v.description!.trim(),
      address: v.address?.trim() || undefined,
      urgency: v.urgency ?? 'normal',
      fixedOnSpot: v.fixedOnSpot ?? false,
      ...(v.fixedOnSpot ? { result: v.result?.trim() } : {}),
      ...(v.source ? { source: v.source } : {}),
    }, { hashes: v.photos ?? [] });
    if (outcome.kind === 'sent') {
      showSuccess(t('report.done', { number: outcome.detail.number }));
      navigate(`/cases/${outcome.detail.id}`);
    } else if (outcome.kind === 'queued') {
      // kept in this browser and sent (once) when the connection returns
      showSuccess(t('mreport.queued'));
      form.resetFields();
      setFormKey((k) => k + 1);
    } else {
      showError(outcome.error instanceof ApiError ? outcome.error.message : String(outcome.error));
    }
  };

  return (
    <Card title={t('report.title')}>
      <OutboxList />
      <Form<Values> key={formKey} form={form} name="report" layout="vertical" onFinish={onFinish} scrollToFirstError>
        <Row gutter={24}>
          <Col xs={24} lg={11}>
            {me.role === 'operator' && (
              <Form.Item name="source" label={t('report.source')} initialValue="hotline_12345">
                <Select data-testid="report-source" options={CASE_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))} />
              </Form.Item>
            )}
            <Form.Item
              name="categoryId"
              label={t('report.category')}
              rules={[{ required: true, message: t('report.categoryRequired') }]}
            >
              <TreeSelect
                data-testid="report-category"
                showSearch
                treeNodeFilterProp="title"
                treeExpandAction="click"
                placeholder={t('report.categoryPlaceholder')}
                loading={categories.isLoading}
                treeData={categoryOptions}
              />
            </Form.Item>
            <Form.Item
              name="description"
              label={t('report.description')}
              rules={[{ required: true, whitespace: true, min: 2, message: t('report.descriptionRequired') }]}
            >
              <Input.TextArea
                data-testid="report-description"
                rows={4}
                maxLength={2000}
                showCount
                placeholder={t('report.descriptionPlaceholder')}
              />
            </Form.Item>
            <Form.Item name="urgency" label={t('report.urgency')} initialValue="normal">
              <Select data-testid="report-urgency" options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
            </Form.Item>
            <Form.Item name="address" label={t('report.address')}>
              <Input data-testid="report-address" maxLength={200} placeholder={t('report.addressPlaceholder')} />
            </Form.Item>
            <Form.Item name="photos" label={t('report.photos')} extra={t('report.photosHint')}>
              <PhotoUpload testId="report-photos" />
            </Form.Item>
            {me.role === 'grid_worker' && (
              <Form.Item name="fixedOnSpot" valuePropName="checked" extra={t('report.fixedOnSpotHint')}>
                <Checkbox data-testid="report-fixed">{t('report.fixedOnSpot')}</Checkbox>
              </Form.Item>
            )}
            {fixedOnSpot && (
              <Form.Item
                name="result"
                label={t('report.result')}
                rules={[{ required: true, whitespace: true, message: t('report.resultRequired') }]}
              >
                <Input.TextArea data-testid="report-result" rows={3} maxLength={2000} showCount />
              </Form.Item>
            )}
          </Col>
          <Col xs={24} lg={13}>
            <Form.Item label={t('report.position')} required extra={t('report.positionHint')} style={{ marginBottom: 8 }}>
              <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 360 }} />}>
                <GridMap
                  grids={grids.data}
                  value={position}
                  onPick={(p) => form.setFieldsValue({ lng: p.lng, lat: p.lat })}
                  highlightGridId={grid?.properties.id ?? null}
                />
              </Suspense>
            </Form.Item>
            <Row gutter={12} align="bottom">
              <Col xs={12} sm={8}>
                <Form.Item name="lng" label={t('report.lng')} rules={[{ required: true, message: t('report.positionRequired') }]}>
                  <InputNumber data-testid="report-lng" min={-180} max={180} step={0.0001} precision={6} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={8}>
                <Form.Item name="lat" label={t('report.lat')} rules={[{ required: true, message: t('report.positionRequired') }]}>
                  <InputNumber data-testid="report-lat" min={-90} max={90} step={0.0001} precision={6} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              {'geolocation' in navigator && (
                <Col xs={24} sm={8}>
                  <Form.Item>
                    <Button icon={<AimOutlined />} onClick={locate} loading={locating} data-testid="report-locate" block>
                      {t('map.useMyLocation')}
                    </Button>
                  </Form.Item>
                </Col>
              )}
            </Row>
            {position && typeof categoryId === 'number' && (
              <SimilarCases lng={position.lng} lat={position.lat} categoryId={categoryId} />
            )}
            {position && (
              <Typography.Paragraph data-testid="report-grid" type={grid ? undefined : 'warning'}>
                <EnvironmentOutlined />{' '}
                {grid
                  ? t('report.inGrid', { name: grid.properties.name, community: grid.properties.communityName })
                  : t('report.outsideGrids')}
              </Typography.Paragraph>
            )}
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" size="large" loading={busy} data-testid="report-submit">
          {t('report.submit')}
        </Button>
      </Form>
    </Card>
  );
}
