// The reports waiting in this browser to be sent (待发送上报), with their state; refused ones can be removed.
import { Button, List, Tag, Typography } from 'antd';
import { CameraOutlined, CloudUploadOutlined, DeleteOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useMe } from '../session';
import { removeQueued, syncOutbox } from './outbox';
import { useOnline, useOutbox } from './OutboxSync';
import './outbox.css';

export function OutboxList() {
  const { t } = useTranslation();
  const me = useMe();
  const items = useOutbox(me.id);
  const online = useOnline();
  if (!items.length) return null;
  return (
    <div className="gw-outbox" data-testid="outbox" data-count={items.length}>
      <div className="gw-outbox-head">
        <Typography.Text strong>
          <CloudUploadOutlined /> {t('outbox.title')}
        </Typography.Text>
        <Button size="small" disabled={!online} onClick={() => void syncOutbox(me.id)} data-testid="outbox-send">
          {t('outbox.sendNow')}
        </Button>
      </div>
      <List
        size="small"
        dataSource={items}
        renderItem={(i) => (
          <List.Item
            data-testid="outbox-item"
            data-status={i.status}
            actions={
              i.status === 'refused'
                ? [<Button key="rm" size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => void removeQueued(i.clientKey)} aria-label={t('outbox.remove')} />]
                : []
            }
          >
            <List.Item.Meta
              title={<Typography.Text ellipsis>{i.input.description}</Typography.Text>}
              description={
                <>
                  <Tag color={i.status === 'refused' ? 'red' : i.status === 'sending' ? 'blue' : 'orange'}>
                    {i.status === 'refused' ? t('outbox.refused', { error: i.error ?? '' }) : t(`outbox.${i.status}`)}
                  </Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('outbox.queuedAt', { time: dayjs(i.createdAt).format('MM-DD HH:mm') })}
                    {i.photoBlobs.length + i.photoHashes.length > 0 && (
                      <>
                        {' · '}
                        <CameraOutlined /> {i.photoBlobs.length + i.photoHashes.length}
                      </>
                    )}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </div>
  );
}
