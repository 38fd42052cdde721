// 上报 on the phone: photos from the camera, the GPS position with its accuracy and a map to correct it, the grid
// from the position, category and description. Without a connection the report is kept on the phone (with its
// photos and the clientKey made when this form opened) and sent when the connection returns.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Form, Input, Select, Skeleton, Space, TreeSelect, Typography } from 'antd';
import { AimOutlined, CameraOutlined, CloseCircleFilled, EnvironmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { URGENCIES, type Urgency } from '../../../../src/shared/vocabulary';
import { SimilarCases } from '../../components/SimilarCases';
import { showError, showSuccess } from '../../notify';
import type { QueuedPhoto } from '../../offline/outbox';
import { useReportSubmission } from '../../offline/useReportSubmission';
import { useOnline } from '../../offline/OutboxSync';
import { useCurrentPosition } from './useGeolocation';
import './phone.css';

const GridMap = lazy(() => import('../../map/GridMap'));

const MAX_PHOTOS = 9;
const TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const POOR_ACCURACY_M = 50;

interface Values {
  categoryId?: number;
  description?: string;
  address?: string;
  urgency?: Urgency;
}

export function PhoneReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const online = useOnline();
  const [form] = Form.useForm<Values>();
  const { submit, busy, categories, grids, categoryOptions, gridOf } = useReportSubmission();
  const [photos, setPhotos] = useState<QueuedPhoto[]>([]);
  const urls = useMemo(() => photos.map((p) => URL.createObjectURL(p.blob)), [photos]);
  useEffect(() => () => urls.forEach((u) => URL.revokeObjectURL(u)), [urls]);
  const gps = useCurrentPosition(true);
  const [picked, setPicked] = useState<{ lng: number; lat: number } | null>(null);
  const position = picked ?? (gps.fix ? { lng: gps.fix.lng, lat: gps.fix.lat } : null);
  const grid = gridOf(position);
  const categoryId = Form.useWatch('categoryId', form);

  const addPhotos = (files: FileList | null) => {
    if (!files) return;
    const next = [...photos];
    for (const f of Array.from(files)) {
      if (!TYPES.includes(f.type)) {
        showError(t('photo.badType'));
        continue;
      }
      if (next.length >= MAX_PHOTOS) {
        showError(t('photo.tooMany'));
        break;
      }
      next.push({ name: f.name || 'photo.jpg', type: f.type, blob: f });
    }
    setPhotos(next);
  };

  const onFinish = async (v: Values) => {
    if (!position) {
      showError(t('mreport.noPosition'));
      return;
    }
    const outcome = await submit(
      {
        lng: position.lng,
        lat: position.lat,
        categoryId: v.categoryId!,
        description: v.description!.trim(),
        address: v.address?.trim() || undefined,
        urgency: v.urgency ?? 'normal',
        fixedOnSpot: false,
      },
      { blobs: photos },
    );
    if (outcome.kind === 'sent') navigate(`/m/sent/${outcome.detail.id}`, { replace: true });
    else if (outcome.kind === 'queued') {
      showSuccess(t('mreport.queued'));
      navigate('/m');
    } else showError(outcome.error instanceof Error ? outcome.error.message : String(outcome.error));
  };

  const poor = gps.fix && !picked && gps.fix.accuracy > POOR_ACCURACY_M;

  return (
    <div className="gw-phone" data-testid="phone-report">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('mreport.title')}
      </Typography.Title>
      {!online && <Alert type="warning" showIcon title={t('phone.offline')} style={{ marginBottom: 12 }} data-testid="phone-offline" />}
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} name="mreport">
        <Form.Item label={t('mreport.photos', { count: photos.length })}>
          <div className="gw-phone-photos" data-testid="mreport-photos" data-count={photos.length}>
            {urls.map((u, i) => (
              <div key={u} className="gw-phone-photo">
                <img src={u} alt="" />
                <button type="button" aria-label={t('mreport.removePhoto')} onClick={() => setPhotos(photos.filter((_, j) => j !== i))}>
                  <CloseCircleFilled />
                </button>
              </div>
            ))}
            {photos.length < MAX_PHOTOS && (
              <label className="gw-phone-camera">
                <CameraOutlined />
                <span>{t('mreport.camera')}</span>
                <input
                  type="file"
                  accept="image/*"
                  capture="environment"
                  multiple
                  data-testid="mreport-camera"
                  onChange={(e) => {
                    addPhotos(e.target.files);
                    e.target.value = '';
                  }}
                />
              </label>
            )}
          </div>
        </Form.Item>

        <Form.Item label={t('report.position')} style={{ marginBottom: 8 }}>
          <div className="gw-phone-gps" data-testid="mreport-gps" data-accuracy={gps.fix?.accuracy ?? ''}>
            {gps.locating && !gps.fix ? (
              <Typography.Text type="secondary">{t('mreport.locating')}</Typography.Text>
            ) : gps.fix && !picked ? (
              <Typography.Text type={poor ? 'warning' : 'success'} data-testid="mreport-accuracy">
                <AimOutlined /> {poor ? t('mreport.accuracyPoor', { m: gps.fix.accuracy }) : t('mreport.accuracy', { m: gps.fix.accuracy })}
              </Typography.Text>
            ) : picked ? (
              <Typography.Text type="secondary">{t('mreport.adjust')}</Typography.Text>
            ) : (
              <Typography.Text type="warning">
                {t('mreport.noPosition')}
                {gps.error ? ` (${gps.error})` : ''}
              </Typography.Text>
            )}
            <Button
              size="small"
              icon={<AimOutlined />}
              loading={gps.locating}
              onClick={() => {
                setPicked(null);
                gps.locate();
              }}
              data-testid="mreport-locate"
            >
              {t('mreport.relocate')}
            </Button>
          </div>
          <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 220 }} />}>
            <GridMap
              grids={grids.data}
              value={position}
              onPick={(p) => setPicked(p)}
              highlightGridId={grid?.properties.id ?? null}
              focus
              height={220}
            />
          </Suspense>
          {position && (
            <Typography.Paragraph style={{ marginTop: 6, marginBottom: 0 }} type={grid ? undefined : 'warning'} data-testid="mreport-grid">
              <EnvironmentOutlined />{' '}
              {grid ? t('report.inGrid', { name: grid.properties.name, community: grid.properties.communityName }) : t('report.outsideGrids')}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {' '}
                {position.lng.toFixed(6)}, {position.lat.toFixed(6)}
              </Typography.Text>
            </Typography.Paragraph>
          )}
        </Form.Item>

        <Form.Item name="categoryId" label={t('report.category')} rules={[{ required: true, message: t('report.categoryRequired') }]}>
          <TreeSelect
            data-testid="mreport-category"
            showSearch
            treeNodeFilterProp="title"
            treeExpandAction="click"
            placeholder={t('report.categoryPlaceholder')}
            loading={categories.isLoading}
            treeData={categoryOptions}
            size="large"
          />
        </Form.Item>
        {position && typeof categoryId === 'number' && <SimilarCases lng={position.lng} lat={position.lat} categoryId={categoryId} />}
        <Form.Item
          name="description"
          label={t('report.description')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('report.descriptionRequired') }]}
        >
          <Input.TextArea data-testid="mreport-description" rows={3} maxLength={2000} placeholder={t('report.descriptionPlaceholder')} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="address" style={{ flex: 1 }}>
            <Input data-testid="mreport-address" maxLength={200} placeholder={t('report.addressPlaceholder')} size="large" />
          </Form.Item>
          <Form.Item name="urgency" initialValue="normal" style={{ width: 100 }}>
            <Select size="large" options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
          </Form.Item>
        </Space.Compact>
        <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="mreport-submit" className="gw-phone-submit">
          {online ? t('report.submit') : t('mreport.submitOffline')}
        </Button>
      </Form>
    </div>
  );
}
