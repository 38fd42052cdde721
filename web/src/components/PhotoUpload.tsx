// Photo picker for the report form and move forms: each photo is uploaded to /api/photos as soon as it is chosen,
// shown as a thumbnail and removable; the value is the list of uploaded photo hashes (at most 9).
import { useState } from 'react';
import { Image, Upload } from 'antd';
import type { UploadFile, UploadProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Photo } from '../../../src/shared/api';
import { api, ApiError } from '../api';
import { showError } from '../notify';

export const MAX_PHOTOS = 9;
const TYPES = ['image/jpeg', 'image/png', 'image/webp'];

interface Props {
  value?: string[];
  onChange?: (hashes: string[]) => void;
  testId?: string;
}

export function PhotoUpload({ onChange, testId }: Props) {
  const { t } = useTranslation();
  const [files, setFiles] = useState<UploadFile<Photo>[]>([]);
  const [preview, setPreview] = useState<string | null>(null);

  const publish = (list: UploadFile<Photo>[]) => {
    setFiles(list);
    onChange?.(list.filter((f) => f.status === 'done' && f.response).map((f) => f.response!.hash));
  };

  const props: UploadProps<Photo> = {
    listType: 'picture-card',
    accept: TYPES.join(','),
    multiple: true,
    fileList: files,
    maxCount: MAX_PHOTOS,
    beforeUpload: (file, batch) => {
      if (!TYPES.includes(file.type)) {
        showError(t('photo.badType'));
        return Upload.LIST_IGNORE;
      }
      if (files.length + batch.indexOf(file) >= MAX_PHOTOS) {
        showError(t('photo.tooMany'));
        return Upload.LIST_IGNORE;
      }
      return true;
    },
    customRequest: ({ file, onSuccess, onError }) => {
      api
        .uploadPhoto(file as Blob, (file as File).name)
        .then((photo) => onSuccess?.(photo))
        .catch((err: unknown) => {
          showError(err instanceof ApiError ? err.message : t('photo.failed'));
          onError?.(err instanceof Error ? err : new Error(String(err)));
        });
    },
    onChange: ({ fileList }) =>
      publish(
        fileList
          .filter((f) => f.status !== 'error')
          .map((f) => (f.status === 'done' && f.response ? { ...f, url: f.response.url, thumbUrl: f.response.thumbUrl } : f)),
      ),
    onPreview: (file) => setPreview(file.url ?? file.thumbUrl ?? null),
  };

  return (
    <div data-testid={testId} data-count={files.filter((f) => f.status === 'done').length}>
      <Upload<Photo> {...props}>
        {files.length >= MAX_PHOTOS ? null : (
          <div>
            <PlusOutlined />
            <div style={{ marginTop: 8 }}>{t('photo.upload')}</div>
          </div>
        )}
      </Upload>
      {preview && (
        <Image
          style={{ display: 'none' }}
          src={preview}
          preview={{ open: true, src: preview, onOpenChange: (open) => !open && setPreview(null) }}
        />
      )}
    </div>
  );
}
