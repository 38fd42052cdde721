// Thumbnails of stored photos; a click opens the full image (with the others of the group).
import { Image, Space, Typography } from 'antd';
import type { Photo } from '../../../src/shared/api';

interface Props {
  photos: Photo[];
  size?: number;
  emptyText?: string;
  testId?: string;
}

export function PhotoGallery({ photos, size = 96, emptyText, testId = 'photo-gallery' }: Props) {
  if (!photos.length) return emptyText ? <Typography.Text type="secondary">{emptyText}</Typography.Text> : null;
  return (
    <Image.PreviewGroup>
      <Space wrap size={8} data-testid={testId}>
        {photos.map((p) => (
          <Image
            key={p.hash}
            width={size}
            height={size}
            src={p.thumbUrl}
            preview={{ src: p.url }}
            style={{ objectFit: 'cover', borderRadius: 4 }}
            alt=""
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}
